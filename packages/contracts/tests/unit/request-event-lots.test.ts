/**
 * The lots and received quantities that request events carry for each line: what the
 * producer writes reads back the same, events written before they travelled still read
 * (no lots, nothing received), and a malformed lot is refused naming where it is.
 */
import { describe, expect, it } from "vitest";
import { InvalidEventError, requestCreated, requestStatusChanged, type RequestEventData } from "../../src/index.js";
import { overTheWire, requestData } from "./fixtures.js";

const item = requestData.items[0]!;
const delivered: RequestEventData = {
  ...requestData,
  items: [
    {
      ...item,
      quantity: 12,
      quantityReceived: 12,
      lots: [
        { lotNumber: "L-1", expiresAt: "2027-01-31", quantity: 10 },
        { lotNumber: "L-2", expiresAt: "2027-03-31", quantity: 2 },
      ],
    },
  ],
};

/** The stored event with its first item's fields replaced (undefined drops a field). */
function withItem(change: Record<string, unknown>): unknown {
  const stored = overTheWire(requestStatusChanged.build(delivered)) as { data: { items: Record<string, unknown>[] } };
  const first = { ...stored.data.items[0], ...change };
  return { ...stored, data: { ...stored.data, items: [overTheWire(first)] } };
}

describe("request event lines with lots", () => {
  it("parses what build wrote, lots and received quantity included", () => {
    const parsed = requestStatusChanged.parse(overTheWire(requestStatusChanged.build(delivered)));
    expect(parsed.data.items).toEqual(delivered.items);
  });

  it("reads a line written without lots or received quantity (older producers, replayed events) as none", () => {
    const parsed = requestStatusChanged.parse(withItem({ lots: undefined, quantityReceived: undefined }));
    expect(parsed.data.items).toEqual([{ ...item, quantityReceived: null, lots: [] }]);
    const { itemId, itemKind } = item;
    const older: RequestEventData = {
      ...requestData,
      status: "PENDING",
      previousStatus: null,
      items: [{ itemId, itemKind, quantity: 3 }],
    };
    const created = overTheWire(requestCreated.build(older));
    expect(requestCreated.parse(created).data.items).toEqual([
      { itemId, itemKind, quantity: 3, quantityReceived: null, lots: [] },
    ]);
  });

  it("takes fewer lotted units than the line's quantity (units without a known lot)", () => {
    const lots = [{ lotNumber: "L-1", expiresAt: null, quantity: 5 }];
    expect(requestStatusChanged.parse(withItem({ lots })).data.items[0]!.lots).toEqual(lots);
  });

  const path = "requests.status_changed.items[0]";
  it.each([
    [{ lots: null }, `${path}.lots is missing`],
    [{ lots: "L-1" }, `${path}.lots is missing`],
    [{ lots: [null] }, `${path}.lots[0] is missing`],
    [{ lots: [{ expiresAt: "2027-01-31", quantity: 1 }] }, `${path}.lots[0].lotNumber is missing`],
    [{ lots: [{ lotNumber: "", expiresAt: "2027-01-31", quantity: 1 }] }, `${path}.lots[0].lotNumber is missing`],
    [{ lots: [{ lotNumber: "L-1", expiresAt: "31/01/2027", quantity: 1 }] }, `${path}.lots[0].expiresAt is missing`],
    [{ lots: [{ lotNumber: "L-1", expiresAt: 20270131, quantity: 1 }] }, `${path}.lots[0].expiresAt is missing`],
    [{ lots: [{ lotNumber: "L-1", expiresAt: null, quantity: 0 }] }, `${path}.lots[0].quantity is missing`],
    [{ lots: [{ lotNumber: "L-1", expiresAt: null, quantity: 1.5 }] }, `${path}.lots[0].quantity is missing`],
    [{ lots: [{ lotNumber: "L-1", expiresAt: null }] }, `${path}.lots[0].quantity is missing`],
    [
      {
        lots: [
          { lotNumber: "L-1", expiresAt: "2027-01-31", quantity: 1 },
          { lotNumber: "L-1", expiresAt: "2027-01-31", quantity: 1 },
        ],
      },
      `${path}.lots[1].lotNumber repeats lot L-1`,
    ],
    [{ lots: [{ lotNumber: "L-1", expiresAt: null, quantity: 13 }] }, `${path}.lots add up to 13`],
    [{ quantityReceived: -1 }, `${path}.quantityReceived is missing`],
    [{ quantityReceived: "12" }, `${path}.quantityReceived is missing`],
  ])("refuses %o", (change, message) => {
    expect(() => requestStatusChanged.parse(withItem(change))).toThrow(InvalidEventError);
    expect(() => requestStatusChanged.parse(withItem(change))).toThrow(message);
  });
});
