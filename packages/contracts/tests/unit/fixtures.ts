import type { AccessRevokedData, PickRecordedData, RequestEventData, StockLowData } from "../../src/index.js";

/** Well-formed data of each event, as today's producers write it. */
export const requestData: RequestEventData = {
  requestId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c01",
  number: "REQ-000042",
  kind: "RESTOCK",
  priority: "URGENT",
  ward: "UTI-ADULTO",
  dispenserId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02",
  requesterId: "00000000-0000-4000-8000-00000000a5c1",
  assigneeId: null,
  status: "DELIVERED",
  previousStatus: "DISPATCHED",
  version: 5,
  actorId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c03",
  reasonCode: null,
  reason: null,
  items: [
    {
      itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04",
      itemKind: "MEDICATION",
      quantity: 12,
      quantityReceived: 12,
      lots: [{ lotNumber: "L-1", expiresAt: "2027-01-31", quantity: 12 }],
    },
  ],
  lines: [
    {
      itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04",
      itemKind: "MEDICATION",
      quantityRequested: 12,
      quantityDispatched: 12,
      quantityReceived: 12,
      unitCost: 1.25,
      substitute: false,
      therapeuticClass: "Analgésico",
    },
  ],
};

/** A pick with one line substituted (its replacement listed too) and one short. */
export const pickData: PickRecordedData = {
  requestId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c01",
  number: "REQ-000042",
  ward: "UTI-ADULTO",
  dispenserId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02",
  version: 4,
  actorId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c03",
  lines: [
    {
      lineId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c07",
      itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04",
      itemKind: "MEDICATION",
      status: "SUBSTITUTED",
      quantityRequested: 12,
      quantityDispatched: 0,
      reasonCode: "SUBSTITUTION",
      substitutedBy: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c08",
      lots: [],
    },
    {
      lineId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c08",
      itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c09",
      itemKind: "MEDICATION",
      status: "PICKED",
      quantityRequested: 12,
      quantityDispatched: 12,
      reasonCode: null,
      substitutedBy: null,
      lots: [
        { lotNumber: "L-1", expiresAt: "2027-01-31", quantity: 10 },
        { lotNumber: "L-2", expiresAt: "2027-03-31", quantity: 2 },
      ],
    },
    {
      lineId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c0a",
      itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c0b",
      itemKind: "MATERIAL",
      status: "PARTIAL",
      quantityRequested: 5,
      quantityDispatched: 3,
      reasonCode: "STOCKOUT",
      substitutedBy: null,
      lots: [],
    },
  ],
};

export const stockLowData: StockLowData = {
  stockLevelId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c05",
  dispenserId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02",
  dispenserCode: "UTI-01",
  ward: "UTI-ADULTO",
  itemId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c04",
  itemKind: "MATERIAL",
  unitCost: 0.35,
  therapeuticClass: null,
  quantity: 2,
  minLevel: 5,
  parLevel: 20,
  suggestedRestockQuantity: 18,
};

export const revocationData: AccessRevokedData = {
  userId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c03",
  sessionId: "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c06",
  exceptSessionId: null,
  revokedAt: "2026-03-01T12:00:00.123Z",
  reason: "session_ended",
};

/** What crossing the wire does to an envelope. */
export function overTheWire(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
