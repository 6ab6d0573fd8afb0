/**
 * The seeded requests' lifecycle events, without a database: every one reads with its contract
 * (as the consumers read it), one per history row with the versions the rows end at, oldest
 * first, with the lines a reader of each stage would see; the dispensers seed names exactly the
 * seeded RESTOCK deliveries, with the ids the events carry.
 */
import { describe, expect, it } from "vitest";
import { requestCreated, requestStatusChanged, type RequestEventData } from "@asky/contracts";
import { planRequests } from "../../src/seed/requests.js";
import {
  seededEventId,
  seededRequestEvents,
  seededRestockDeliveries,
  type StoredLine,
} from "../../src/seed/request-events.js";

const planned = planRequests(new Date("2026-11-30T12:00:00Z"));
const numberOf = new Map(planned.map((request, index) => [request.id, `REQ-${String(index + 1).padStart(6, "0")}`]));
const linesOf = new Map<string, StoredLine[]>(
  planned.map((request) => [
    request.id,
    request.items.map((planned) => ({
      requestId: request.id,
      itemId: planned.item.id,
      itemKind: planned.item.kind,
      quantity: planned.quantity,
      unitCost: planned.item.unitCost,
      therapeuticClass: null,
    })),
  ]),
);
const events = seededRequestEvents(planned, numberOf, linesOf);
const read = events.map((event) =>
  event.subject === requestCreated.subject ? requestCreated.parse(event) : requestStatusChanged.parse(event),
);

describe("the seeded request events", () => {
  it("read with their contracts, one per history row, oldest first, with unique ids", () => {
    expect(read).toHaveLength(planned.reduce((sum, request) => sum + request.history.length, 0));
    expect(new Set(read.map((event) => event.id)).size).toBe(read.length);
    const instants = read.map((event) => Date.parse(event.occurredAt));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  it("say what each history row says: versions 1..n, statuses, actors, instants, the final row's numbers", () => {
    for (const request of planned) {
      const mine = read.filter((event) => event.data.requestId === request.id);
      expect(mine.map((event) => event.data.version)).toEqual(request.history.map((_change, index) => index + 1));
      expect(mine.map((event) => [event.data.previousStatus, event.data.status, event.data.actorId])).toEqual(
        request.history.map((change) => [change.from, change.to, change.actor.id]),
      );
      expect(mine.map((event) => event.occurredAt)).toEqual(request.history.map((change) => change.at.toISOString()));
      expect(mine.map((event) => event.subject)).toEqual(
        request.history.map((change) => (change.from === null ? requestCreated.subject : requestStatusChanged.subject)),
      );
      expect(mine.every((event) => event.data.number === numberOf.get(request.id))).toBe(true);
      expect(mine.at(-1)!.data.assigneeId).toBe(request.assignee?.id ?? null);
      expect(mine.map((event) => event.id)).toEqual(mine.map((event) => seededEventId(request.id, event.data.version)));
    }
  });

  it("carry lines picked from VERIFIED or DISPATCHED on and received once DELIVERED, and what goes out", () => {
    const byStatus = (status: string): RequestEventData[] =>
      read.filter((event) => event.data.status === status).map((event) => event.data);
    for (const data of byStatus("PENDING"))
      expect(data.lines?.every((line) => line.quantityDispatched === null && line.quantityReceived === null)).toBe(
        true,
      );
    for (const data of [...byStatus("VERIFIED"), ...byStatus("DISPATCHED")])
      expect(
        data.lines?.every(
          (line) => line.quantityDispatched === line.quantityRequested && line.quantityReceived === null,
        ),
      ).toBe(true);
    const delivered = byStatus("DELIVERED");
    expect(delivered.length).toBeGreaterThan(0);
    for (const data of delivered) {
      expect(data.lines?.every((line) => line.quantityReceived === line.quantityRequested)).toBe(true);
      expect(data.items.map((item) => [item.itemId, item.quantity])).toEqual(
        (data.lines ?? []).map((line) => [line.itemId, line.quantityRequested]),
      );
    }
  });

  it("name the seeded RESTOCK deliveries for the dispensers seed, and nothing else", () => {
    const deliveries = read
      .filter((event) => event.data.kind === "RESTOCK" && event.data.status === "DELIVERED")
      .map((event) => event.id);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(seededRestockDeliveries(planned).sort()).toEqual(deliveries.sort());
    // A plan made at another instant (the dispensers seed runs on its own) names the same events.
    expect(seededRestockDeliveries(planRequests(new Date())).sort()).toEqual(deliveries.sort());
  });
});
