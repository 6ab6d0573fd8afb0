import { describe, expect, it } from "vitest";
import {
  parseStored,
  accessRevoked,
  eventSubjects,
  InvalidEventError,
  requestCreated,
  requestLifecycleEvents,
  requestStatusChanged,
  pickRecorded,
  requestFeedEvents,
  slaBreached,
  slaWarning,
  stockLow,
  type EventContract,
} from "../../src/index.js";
import { overTheWire, pickData, requestData, revocationData, stockLowData } from "./fixtures.js";

const slaData = {
  requestId: requestData.requestId,
  number: requestData.number,
  kind: requestData.kind,
  priority: "STAT",
  ward: requestData.ward,
  dispenserId: requestData.dispenserId,
  status: "PENDING",
  version: 1,
  stage: "ACCEPT",
  dueAt: "2026-03-01T12:05:00.000Z",
};

const cases: [string, EventContract<object>, object][] = [
  ["requests.created", requestCreated, { ...requestData, status: "PENDING", previousStatus: null }],
  ["requests.status_changed", requestStatusChanged, requestData],
  ["requests.pick_recorded", pickRecorded, pickData],
  ["dispensers.stock_low", stockLow, stockLowData],
  ["users.access_revoked", accessRevoked, revocationData],
  ["requests.sla_warning", slaWarning, slaData],
  ["requests.sla_breached", slaBreached, slaData],
];

describe.each(cases)("%s", (type, contract, data) => {
  it("parses what build wrote, after a trip through JSON", () => {
    const occurredAt = new Date("2026-03-01T12:00:01.000Z");
    const built = contract.build(data, { occurredAt });
    expect(built).toMatchObject({ type, subject: `asky.${type}`, version: 1, occurredAt: occurredAt.toISOString() });
    expect(contract.parse(overTheWire(built))).toEqual({ ...built, data });
  });

  it("keeps writing the envelope's id and instant inside data, as version 1 always did", () => {
    const built = contract.build(data);
    expect(built.data).toMatchObject({ eventId: built.id, at: built.occurredAt });
  });

  it("refuses an event of another subject", () => {
    const other = contract === stockLow ? accessRevoked.build(revocationData) : stockLow.build(stockLowData);
    expect(() => contract.parse(overTheWire(other))).toThrow(InvalidEventError);
  });

  it("refuses data that is not an object", () => {
    const built = overTheWire(contract.build(data)) as Record<string, unknown>;
    expect(() => contract.parse({ ...built, data: null })).toThrow(InvalidEventError);
    expect(() => contract.parse({ ...built, data: [] })).toThrow(InvalidEventError);
  });
});

describe("refusals name the field", () => {
  const withData = <T extends object>(contract: EventContract<T>, data: T, change: Record<string, unknown>) => {
    const built = overTheWire(contract.build(data)) as { data: Record<string, unknown> };
    return { ...built, data: { ...built.data, ...change } };
  };

  it.each([
    [{ quantity: -1 }, "stock_low.quantity"],
    [{ itemId: "not-a-uuid" }, "stock_low.itemId"],
    [{ itemKind: "ASSISTANCE" }, "stock_low.itemKind"],
    [{ unitCost: Number.NaN }, "stock_low.unitCost"],
    [{ ward: "" }, "stock_low.ward"],
  ])("stock_low %o", (change, path) => {
    expect(() => stockLow.parse(withData(stockLow, stockLowData, change))).toThrow(`${path} is missing`);
  });

  it.each([
    [{ status: "LOST" }, "requests.status_changed.status"],
    [{ version: 0 }, "requests.status_changed.version"],
    [{ reasonCode: "BORED" }, "requests.status_changed.reasonCode"],
    [
      { items: [{ itemId: requestData.requestId, itemKind: "MEDICATION", quantity: 0 }] },
      "requests.status_changed.items[0].quantity",
    ],
    [{ items: "none" }, "requests.status_changed.items"],
  ])("status_changed %o", (change, path) => {
    expect(() => requestStatusChanged.parse(withData(requestStatusChanged, requestData, change))).toThrow(
      `${path} is missing`,
    );
  });

  const line = pickData.lines[1]!;
  it.each([
    [{ version: 0 }, "requests.pick_recorded.version"],
    [{ lines: [{ ...line, status: "LOST" }] }, "requests.pick_recorded.lines[0].status"],
    [{ lines: [{ ...line, reasonCode: "BORED" }] }, "requests.pick_recorded.lines[0].reasonCode"],
    [{ lines: [{ ...line, quantityDispatched: -1 }] }, "requests.pick_recorded.lines[0].quantityDispatched"],
    [
      { lines: [{ ...line, lots: [{ lotNumber: "L-1", expiresAt: "31/01/2027", quantity: 1 }] }] },
      "requests.pick_recorded.lines[0].lots[0].expiresAt",
    ],
    [
      { lines: [{ ...line, lots: [{ lotNumber: "L-1", expiresAt: null, quantity: 0 }] }] },
      "requests.pick_recorded.lines[0].lots[0].quantity",
    ],
  ])("pick_recorded %o", (change, path) => {
    expect(() => pickRecorded.parse(withData(pickRecorded, pickData, change))).toThrow(`${path} is missing`);
  });

  it.each([
    [{ userId: undefined }, "access_revoked.userId"],
    [{ sessionId: 42 }, "access_revoked.sessionId"],
    [{ revokedAt: "yesterday" }, "access_revoked.revokedAt"],
    [{ reason: 7 }, "access_revoked.reason"],
  ])("access_revoked %o", (change, path) => {
    expect(() => accessRevoked.parse(withData(accessRevoked, revocationData, change))).toThrow(`${path} is missing`);
  });
});

describe("compatibility with stored version 1 events", () => {
  it("still revokes on an access_revoked whose reason a newer users service added", () => {
    const stored = overTheWire(accessRevoked.build(revocationData)) as { data: Record<string, unknown> };
    const parsed = accessRevoked.parse({ ...stored, data: { ...stored.data, reason: "device_lost" } });
    expect(parsed.data).toMatchObject({ userId: revocationData.userId, reason: "unrecognised" });
  });

  it("reads a request event without the fields it does not need and with upper-case ids", () => {
    const stored = overTheWire(requestStatusChanged.build(requestData)) as { data: Record<string, unknown> };
    const upper = requestData.dispenserId.toUpperCase();
    const parsed = requestStatusChanged.parse({ ...stored, data: { ...stored.data, dispenserId: upper } });
    expect(parsed.data.dispenserId).toBe(requestData.dispenserId);
  });

  it("reads an absent optional field as null", () => {
    const stored = overTheWire(requestCreated.build(requestData)) as { data: Record<string, unknown> };
    const { assigneeId: _assignee, reason: _reason, ...older } = stored.data;
    const parsed = requestCreated.parse({ ...stored, data: older });
    expect(parsed.data).toMatchObject({ assigneeId: null, reason: null });
  });

  it("refuses a stock_low written before it carried the item's kind and price", () => {
    const stored = overTheWire(stockLow.build(stockLowData)) as { data: Record<string, unknown> };
    const { itemKind: _kind, unitCost: _cost, ...older } = stored.data;
    expect(() => stockLow.parse({ ...stored, data: older })).toThrow("stock_low.itemKind is missing");
  });
});

describe("stored events read back", () => {
  it("are the contract's parse, or null when the contract refuses them", () => {
    const stored = overTheWire(stockLow.build(stockLowData)) as { data: Record<string, unknown> };
    expect(parseStored(stockLow, stored)?.data.itemId).toBe(stockLowData.itemId);
    expect(parseStored(stockLow, { ...stored, data: { ...stored.data, quantity: -1 } })).toBeNull();
    expect(parseStored(requestCreated, stored)).toBeNull();
  });
});

describe("subjects", () => {
  it("are the contracts' own, and the request lifecycle is created then status_changed", () => {
    expect(eventSubjects).toEqual({
      requestCreated: "asky.requests.created",
      requestStatusChanged: "asky.requests.status_changed",
      requestLinesChanged: "asky.requests.lines_changed",
      pickRecorded: "asky.requests.pick_recorded",
      slaWarning: "asky.requests.sla_warning",
      slaBreached: "asky.requests.sla_breached",
      stockLow: "asky.dispensers.stock_low",
      stockMoved: "asky.dispensers.stock_moved",
      accessRevoked: "asky.users.access_revoked",
    });
    expect(requestLifecycleEvents.map((event) => event.subject)).toEqual([
      eventSubjects.requestCreated,
      eventSubjects.requestStatusChanged,
    ]);
    expect(requestFeedEvents.map((event) => event.subject)).toEqual([
      eventSubjects.requestCreated,
      eventSubjects.requestStatusChanged,
      eventSubjects.requestLinesChanged,
      eventSubjects.slaWarning,
      eventSubjects.slaBreached,
    ]);
  });
});
