import { describe, expect, it } from "vitest";
import { mayWitness, roles, witnessedSteps, witnessSubjectOf } from "../../src/index.js";

const id = "7d1f3a52-5d0e-4a43-9c55-1f3b0a7e9c11";

describe("witnessed steps", () => {
  it("bind DISPATCH and RECEIPT to a request, STOCK_LOSS to a cabinet and an item", () => {
    expect(witnessSubjectOf({ step: "DISPATCH", requestId: id })).toEqual({
      subject: { step: "DISPATCH", requestId: id },
    });
    expect(witnessSubjectOf({ step: "STOCK_LOSS", dispenserId: id, itemId: id, requestId: null })).toEqual({
      subject: { step: "STOCK_LOSS", dispenserId: id, itemId: id },
    });
  });

  it("name the first field missing for the step, or given where it does not belong", () => {
    expect(witnessSubjectOf({ step: "RECEIPT" })).toEqual({ field: "requestId", problem: "missing" });
    expect(witnessSubjectOf({ step: "STOCK_LOSS", dispenserId: id })).toEqual({ field: "itemId", problem: "missing" });
    expect(witnessSubjectOf({ step: "STOCK_LOSS", itemId: id })).toEqual({ field: "dispenserId", problem: "missing" });
    expect(witnessSubjectOf({ step: "DISPATCH", requestId: id, itemId: id })).toEqual({
      field: "itemId",
      problem: "not_allowed",
    });
    expect(witnessSubjectOf({ step: "STOCK_LOSS", requestId: id, dispenserId: id, itemId: id })).toEqual({
      field: "requestId",
      problem: "not_allowed",
    });
  });

  it("let the pharmacy witness a dispatch, a nurse or a pharmacist a receipt, a pharmacist a loss", () => {
    const allowed = Object.fromEntries(
      witnessedSteps.map((step) => [step, roles.filter((role) => mayWitness(step, role))]),
    );
    expect(allowed).toEqual({
      DISPATCH: ["PHARMACIST", "PHARMACY_TECHNICIAN"],
      RECEIPT: ["NURSE", "PHARMACIST"],
      STOCK_LOSS: ["PHARMACIST"],
    });
  });
});
