/**
 * The registered subscription fields' routing and subscribe-time checks, on events built by
 * their own contracts: the ward rule is the shared policy, a field takes only its own events.
 */
import { describe, expect, it } from "vitest";
import {
  requestCreated,
  requestStatusChanged,
  slaBreached,
  slaWarning,
  stockLow,
  type EventContract,
  type RequestEventData,
  type SlaEventData,
  type StockLowData,
  type Viewer,
} from "@asky/contracts";
import type { FeedEvent } from "../../src/subscriptions/feed-event.js";
import { subscriptionFields } from "../../src/subscriptions/fields/index.js";
import { FeedContracts } from "../../src/subscriptions/feed-contracts.js";

const UTI = "UTI-ADULTO";
const cabinet = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02";
const request: RequestEventData = {
  requestId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c01",
  number: "REQ-000042",
  kind: "MEDICATION",
  priority: "URGENT",
  ward: UTI,
  dispenserId: cabinet,
  requesterId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c07",
  assigneeId: null,
  status: "ACCEPTED",
  previousStatus: "PENDING",
  version: 2,
  actorId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c03",
  reasonCode: null,
  reason: null,
  items: [{ itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04", itemKind: "MEDICATION", quantity: 2 }],
};
const late: SlaEventData = {
  requestId: request.requestId,
  number: request.number,
  kind: "MEDICATION",
  priority: "STAT",
  ward: UTI,
  dispenserId: cabinet,
  status: "PENDING",
  version: 1,
  stage: "ACCEPT",
  dueAt: "2026-03-01T12:05:00.000Z",
};
const alert: StockLowData = {
  stockLevelId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c05",
  dispenserId: cabinet,
  dispenserCode: "PYX-UTI-01",
  ward: UTI,
  itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04",
  itemKind: "MATERIAL",
  unitCost: 0.35,
  quantity: 2,
  minLevel: 5,
  parLevel: 20,
  suggestedRestockQuantity: 18,
};

/** An event as the feed hands it on: built by its producer's contract, parsed by the same. */
function feedEvent<T>(contract: EventContract<T>, data: T, seq = 7): FeedEvent {
  const envelope = contract.parse(JSON.parse(JSON.stringify(contract.build(data))));
  return {
    seq,
    eventId: envelope.id,
    subject: contract.subject,
    contract,
    data: envelope.data,
    occurredAt: Date.parse(envelope.occurredAt),
    traceHeaders: undefined,
  };
}

const viewers: Record<string, Viewer> = {
  nurse: { id: "n-1", role: "NURSE", ward: UTI },
  otherNurse: { id: "n-2", role: "NURSE", ward: "PEDIATRIA" },
  wardless: { id: "n-3", role: "NURSE", ward: null },
  pharmacist: { id: "p-1", role: "PHARMACIST", ward: null },
  technician: { id: "t-1", role: "PHARMACY_TECHNICIAN", ward: null },
  admin: { id: "a-1", role: "ADMIN", ward: null },
};

const field = (name: string) => subscriptionFields.fields.get(name)!;

describe("subscription fields", () => {
  it("are registered once each, and the live feed reads the union of their subjects", () => {
    expect([...subscriptionFields.fields.keys()].sort()).toEqual(["requestEvents", "requestStatusChanged", "stockLow"]);
    // created, status_changed, lines_changed, sla_warning, sla_breached (both request fields) and stock_low.
    expect(subscriptionFields.contracts).toHaveLength(6);
    expect(new FeedContracts(subscriptionFields.contracts).filterSubject).toBe("asky.>");
    expect(field("requestEvents").contracts.filterSubject).toBe("asky.requests.>");
    expect(field("stockLow").contracts.filterSubject).toBe(stockLow.subject);
  });

  it("route an event to the viewers the ward rule lets see it", () => {
    const changed = feedEvent(requestStatusChanged, request);
    const low = feedEvent(stockLow, alert);
    for (const name of ["nurse", "pharmacist", "technician", "admin"]) {
      expect(field("requestEvents").routes(changed, {}, viewers[name]!)).toBe(true);
      expect(field("stockLow").routes(low, {}, viewers[name]!)).toBe(true);
    }
    for (const name of ["otherNurse", "wardless"]) {
      expect(field("requestEvents").routes(changed, {}, viewers[name]!)).toBe(false);
      expect(field("stockLow").routes(low, {}, viewers[name]!)).toBe(false);
    }
  });

  it("route the turnaround clock's warnings and breaches like the request's other events", () => {
    for (const contract of [slaWarning, slaBreached]) {
      const event = feedEvent(contract, late);
      expect(field("requestEvents").routes(event, { ward: UTI }, viewers.nurse!)).toBe(true);
      expect(field("requestEvents").routes(event, {}, viewers.otherNurse!)).toBe(false);
      expect(field("requestEvents").routes(event, { dispenserId: request.requestId }, viewers.pharmacist!)).toBe(false);
      expect(field("requestStatusChanged").routes(event, { requestId: late.requestId }, viewers.nurse!)).toBe(true);
      expect(field("requestStatusChanged").routes(event, { requestId: alert.stockLevelId }, viewers.admin!)).toBe(
        false,
      );
      expect(field("stockLow").routes(event, {}, viewers.admin!)).toBe(false);
    }
  });

  it("route by their own filter arguments, and only their own events", () => {
    const created = feedEvent(requestCreated, request);
    const low = feedEvent(stockLow, alert);
    const { pharmacist } = viewers;
    expect(field("requestEvents").routes(created, { ward: UTI, dispenserId: cabinet }, pharmacist!)).toBe(true);
    expect(field("requestEvents").routes(created, { ward: "PEDIATRIA" }, pharmacist!)).toBe(false);
    expect(field("requestStatusChanged").routes(created, { requestId: request.requestId }, pharmacist!)).toBe(true);
    expect(field("requestStatusChanged").routes(created, { requestId: alert.stockLevelId }, pharmacist!)).toBe(false);
    expect(field("stockLow").routes(low, { dispenserId: cabinet }, pharmacist!)).toBe(true);
    expect(field("stockLow").routes(low, { dispenserId: request.requestId }, pharmacist!)).toBe(false);
    expect(field("stockLow").routes(created, {}, pharmacist!)).toBe(false);
    expect(field("requestEvents").routes(low, {}, pharmacist!)).toBe(false);
  });

  it("refuse a nurse another ward's filter at subscribe time with FORBIDDEN", async () => {
    const query = () => Promise.reject(new Error("no query expected"));
    for (const name of ["requestEvents", "stockLow"]) {
      await expect(
        field(name).authorize({ filter: { ward: UTI }, viewer: viewers.otherNurse!, query }),
      ).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
      for (const allowed of [viewers.nurse!, viewers.pharmacist!]) {
        await expect(field(name).authorize({ filter: { ward: UTI }, viewer: allowed, query })).resolves.toBeUndefined();
      }
    }
  });
});
