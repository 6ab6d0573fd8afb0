import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { controlListInput } from "../../src/validation/control-list.js";

/** The field a refusal names, or what the input sets. */
function outcome(...args: Parameters<typeof controlListInput>): unknown {
  try {
    return { sets: controlListInput(...args) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { refused: error.extensions.field, code: error.extensions.code };
  }
}

describe("controlListInput", () => {
  it.each([
    // [controlList, controlled, outcome]
    [undefined, undefined, { sets: undefined }],
    [null, undefined, { sets: null }],
    ["A1", undefined, { sets: "A1" }],
    ["C3", true, { sets: "C3" }],
    [undefined, false, { sets: null }],
    [null, false, { sets: null }],
    [undefined, null, { sets: undefined }],
    [undefined, true, { refused: "controlList", code: "BAD_USER_INPUT" }],
    [null, true, { refused: "controlList", code: "BAD_USER_INPUT" }],
    ["B1", false, { refused: "controlled", code: "BAD_USER_INPUT" }],
  ] as const)("controlList %j with controlled %j", (controlList, controlled, expected) => {
    expect(outcome(controlList, controlled)).toEqual(expected);
  });
});
