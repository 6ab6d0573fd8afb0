import { describe, expect, it } from "vitest";
import { createLogger } from "@asky/runtime";
import type { CatalogFacts, DispensersClient } from "../../src/clients/dispensers-client.js";
import { DispensersUnavailableError } from "../../src/clients/dispensers-client.js";
import type { RequestItemRow } from "../../src/data/requests.js";
import type { RequestsServices } from "../../src/context.js";
import { carriesControlled } from "../../src/services/controlled-lines.js";

const line = (itemId: string, controlled: boolean | null): RequestItemRow => ({
  id: `line-${itemId}`,
  requestId: "r",
  itemId,
  itemKind: "MEDICATION",
  quantity: 1,
  unitCost: "1.00",
  status: "OPEN",
  quantityDispatched: null,
  quantityReceived: null,
  reasonCode: null,
  note: null,
  substitutedById: null,
  controlled,
  controlList: controlled ? "A1" : null,
  therapeuticClass: null,
  receiptNote: null,
});

/** A catalog that knows `known`, or cannot answer at all; counts the questions. */
function catalog(known: CatalogFacts[] | "down") {
  const asked: string[][] = [];
  const dispensers: DispensersClient = {
    lookup: async (_dispenserId, itemIds) => {
      asked.push([...itemIds]);
      if (known === "down") throw new DispensersUnavailableError("dispensers service unreachable");
      return { dispenser: null, items: new Map(known.filter((i) => itemIds.includes(i.id)).map((i) => [i.id, i])) };
    },
  };
  const services = { dispensers } as unknown as RequestsServices;
  return { ctx: { services, logger: createLogger("requests-test", "silent") }, asked };
}

const plain: CatalogFacts = { id: "plain", kind: "MEDICATION", unitCost: 1, controlList: null, therapeuticClass: null };
const opioid: CatalogFacts = {
  id: "opioid",
  kind: "MEDICATION",
  unitCost: 1,
  controlList: "A1",
  therapeuticClass: null,
};

describe("carriesControlled", () => {
  it("decides from frozen flags without asking the catalog", async () => {
    const { ctx, asked } = catalog("down");
    expect(await carriesControlled(ctx, [line("plain", false), line("opioid", true)])).toBe(true);
    expect(await carriesControlled(ctx, [line("plain", false)])).toBe(false);
    expect(asked).toEqual([]);
  });

  it("asks the catalog about lines of unknown flag only", async () => {
    const { ctx, asked } = catalog([plain, opioid]);
    expect(await carriesControlled(ctx, [line("x", false), line("plain", null)])).toBe(false);
    expect(await carriesControlled(ctx, [line("plain", null), line("opioid", null)])).toBe(true);
    expect(asked).toEqual([["plain"], ["plain", "opioid"]]);
  });

  it("fails closed: an item the catalog does not know, or a catalog that cannot answer, is controlled", async () => {
    expect(await carriesControlled(catalog([plain]).ctx, [line("gone", null)])).toBe(true);
    expect(await carriesControlled(catalog("down").ctx, [line("plain", null)])).toBe(true);
  });
});
