/** Which movements need a witness (issue 16), and how a token's presence is judged, without a database. */
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { stockReasonValues, type ControlList, type StockReason } from "@asky/db/schema/dispensers";
import { isLoss, needsWitness } from "../../src/domain/witnessed-loss.js";
import { checkWitnessPresence } from "../../src/services/stock-witness.js";
import { validateAdjustment } from "../../src/validation/stock-input.js";

/** Spelled out here rather than read from the code under test. */
const losses: Record<StockReason, { negative: boolean; positive: boolean }> = {
  RESTOCK: { negative: false, positive: false },
  RETURNED: { negative: false, positive: false },
  DISPENSED: { negative: false, positive: false },
  EXPIRED: { negative: true, positive: false },
  DAMAGED: { negative: true, positive: false },
  COUNT_CORRECTION: { negative: true, positive: false },
  OTHER: { negative: true, positive: false },
};

const morphine = { controlList: "A1" };
const gauze = { controlList: null };

describe("isLoss / needsWitness", () => {
  it.each(stockReasonValues)("%s", (reason) => {
    expect(isLoss(reason, -2)).toBe(losses[reason].negative);
    expect(isLoss(reason, 2)).toBe(losses[reason].positive);
    expect(needsWitness(morphine, reason, -2)).toBe(losses[reason].negative);
    expect(needsWitness(gauze, reason, -2)).toBe(false);
    expect(needsWitness(morphine, reason, 2)).toBe(false);
  });
});

const adjustment = (delta: number, reason: StockReason, witnessToken?: string | null) =>
  validateAdjustment({ dispenserId: "d", itemId: "i", delta, reason, note: "nota", witnessToken });

function presence(controlList: ControlList | null, delta: number, reason: StockReason, token?: string | null): unknown {
  try {
    return checkWitnessPresence({ name: "Morfina", controlList }, adjustment(delta, reason, token));
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { code: error.extensions.code, reason: error.extensions.reason, field: error.extensions.field };
  }
}

describe("checkWitnessPresence", () => {
  it("requires a token for a controlled loss and refuses one anywhere else", () => {
    const required = { code: "BAD_USER_INPUT", reason: "WITNESS_REQUIRED", field: "witnessToken" };
    const notNeeded = { code: "BAD_USER_INPUT", reason: "WITNESS_NOT_NEEDED", field: "witnessToken" };
    expect(presence("A1", -1, "DAMAGED")).toEqual(required);
    expect(presence("B1", -1, "OTHER", null)).toEqual(required);
    expect(presence("A1", -1, "DAMAGED", "t")).toBe(true);
    expect(presence("A1", -1, "DISPENSED")).toBe(false);
    expect(presence("A1", -1, "DISPENSED", "t")).toEqual(notNeeded);
    expect(presence("A1", 3, "COUNT_CORRECTION", "t")).toEqual(notNeeded);
    expect(presence(null, -1, "DAMAGED")).toBe(false);
    expect(presence(null, -1, "DAMAGED", "t")).toEqual(notNeeded);
  });

  it("bounds the token before anything parses it", () => {
    expect(presence("A1", -1, "DAMAGED", "x".repeat(10_240))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "witnessToken",
    });
  });
});
