import { describe, expect, it } from "vitest";
import { requestCreated, stockLow } from "../../src/index.js";
import { requestData, stockLowData } from "./fixtures.js";

/**
 * What the compiler refuses: `npm run typecheck` covers this file, so each `@ts-expect-error`
 * below fails the build the day the line it marks starts compiling.
 */
describe("build is checked by the compiler", () => {
  it("refuses data missing a field, or with a field of the wrong type", () => {
    const { unitCost: _unitCost, ...withoutCost } = stockLowData;
    // @ts-expect-error unitCost is required: the restock loop prices from it.
    expect(() => stockLow.build(withoutCost)).not.toThrow();
    // @ts-expect-error itemKind is MEDICATION or MATERIAL.
    expect(() => stockLow.build({ ...stockLowData, itemKind: "ASSISTANCE" })).not.toThrow();
    // @ts-expect-error status is a RequestStatus.
    expect(() => requestCreated.build({ ...requestData, status: "LOST" })).not.toThrow();
  });

  it("refuses a field the contract does not have", () => {
    // @ts-expect-error a renamed field (cost for unitCost) is an unknown one.
    expect(() => stockLow.build({ ...stockLowData, cost: 1 })).not.toThrow();
  });
});
