import { describe, expect, it } from "vitest";
import type { Viewer } from "@asky/contracts";
import { checkCustody, checkWitnessPresence, witnessStepFor, type CustodyFacts } from "../../src/domain/custody.js";

const pharmacist: Viewer = { id: "p2", role: "PHARMACIST", ward: null };
const picked: CustodyFacts = {
  controlled: true,
  unpickedLines: false,
  unpickedMedication: false,
  latestPickerId: "p1",
};
const preparing = { kind: "MEDICATION" as const, status: "PREPARING" as const, version: 5 };
const extensionsOf = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
  return null;
};

describe("custody rules", () => {
  it("lets a pharmacist other than the picker verify a complete pick", () => {
    expect(extensionsOf(() => checkCustody(preparing, "VERIFIED", pharmacist, picked))).toBeNull();
    expect(extensionsOf(() => checkCustody(preparing, "VERIFIED", { ...pharmacist, id: "p1" }, picked))).toMatchObject({
      code: "FORBIDDEN",
      reason: "VERIFIER_IS_PICKER",
    });
    for (const facts of [
      { ...picked, latestPickerId: null },
      { ...picked, unpickedLines: true },
    ]) {
      expect(extensionsOf(() => checkCustody(preparing, "VERIFIED", pharmacist, facts))).toMatchObject({
        code: "CONFLICT",
        reason: "PICK_INCOMPLETE",
        currentVersion: 5,
      });
    }
  });

  it("makes a controlled request pass VERIFIED before dispatch; others may skip it", () => {
    expect(extensionsOf(() => checkCustody(preparing, "DISPATCHED", pharmacist, picked))).toMatchObject({
      code: "CONFLICT",
      reason: "VERIFICATION_REQUIRED",
    });
    const verified = { kind: "MEDICATION" as const, status: "VERIFIED" as const, version: 6 };
    expect(extensionsOf(() => checkCustody(verified, "DISPATCHED", pharmacist, picked))).toBeNull();
    const plain = { ...picked, controlled: false };
    expect(extensionsOf(() => checkCustody(preparing, "DISPATCHED", pharmacist, plain))).toBeNull();
  });

  it("dispatches a RESTOCK only once its medication lines are picked in lots; a ward's request may go out unpicked", () => {
    const unpicked = { ...picked, controlled: false, unpickedLines: true, unpickedMedication: true };
    const restock = { ...preparing, kind: "RESTOCK" as const };
    expect(extensionsOf(() => checkCustody(restock, "DISPATCHED", pharmacist, unpicked))).toMatchObject({
      code: "CONFLICT",
      reason: "LOTS_REQUIRED",
    });
    const materialsOnly = { ...unpicked, unpickedMedication: false };
    expect(extensionsOf(() => checkCustody(restock, "DISPATCHED", pharmacist, materialsOnly))).toBeNull();
    expect(extensionsOf(() => checkCustody(preparing, "DISPATCHED", pharmacist, unpicked))).toBeNull();
  });

  it("asks a witness for a controlled dispatch and receipt only, and refuses one elsewhere", () => {
    expect(witnessStepFor("DISPATCHED", true)).toBe("DISPATCH");
    expect(witnessStepFor("DELIVERED", true)).toBe("RECEIPT");
    expect(witnessStepFor("VERIFIED", true)).toBeNull();
    expect(witnessStepFor("DISPATCHED", false)).toBeNull();
    expect(extensionsOf(() => checkWitnessPresence("DISPATCH", null))).toMatchObject({ reason: "WITNESS_REQUIRED" });
    expect(extensionsOf(() => checkWitnessPresence(null, "token"))).toMatchObject({ reason: "WITNESS_NOT_NEEDED" });
    expect(extensionsOf(() => checkWitnessPresence("RECEIPT", "token"))).toBeNull();
    expect(extensionsOf(() => checkWitnessPresence(null, null))).toBeNull();
  });
});
