import { buildSchema, parse, type GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { Viewer } from "@asky/contracts";
import { encodeEventCursor } from "../../src/subscriptions/event-cursor.js";
import { subscriptionFields } from "../../src/subscriptions/fields/index.js";
import { planSubscription } from "../../src/subscriptions/subscription-plan.js";

/** The part of the API schema the registered fields use. */
const schema = buildSchema(`
  type Query {
    requestEvent(id: ID!, cursor: String): RequestEvent
    stockLowAlert(id: ID!, cursor: String): StockLowAlert
  }
  type User { id: ID! fullName: String! cpf: String }
  type RequestEvent { cursor: String! status: String! actor: User }
  type StockLowAlert { cursor: String! quantity: Int! }
  type Subscription {
    requestEvents(ward: String, dispenserId: ID, after: String): RequestEvent!
    requestStatusChanged(requestId: ID!, after: String): RequestEvent!
    stockLow(ward: String, dispenserId: ID, after: String): StockLowAlert!
    somethingElse: String
  }
`);

const nurse: Viewer = { id: "nurse-1", role: "NURSE", ward: "UTI-ADULTO" };
const sameWardNurse: Viewer = { id: "nurse-2", role: "NURSE", ward: "UTI-ADULTO" };

function plan(query: string, variables: Record<string, unknown> = {}, viewer: Viewer = nurse, operationName?: string) {
  return planSubscription(subscriptionFields, schema, parse(query), operationName, variables, viewer);
}

function refusal(run: () => unknown): { message: string; extensions: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error("expected a refusal");
}

describe("planSubscription", () => {
  it("turns the selection into the field's payload query, with the fragments and variables it uses", () => {
    const result = plan(
      `subscription Board($ward: String, $unused: Int, $after: String) {
        board: requestEvents(ward: $ward, after: $after) { ...Event }
      }
      fragment Event on RequestEvent { cursor status }`,
      { ward: "UTI-ADULTO", unused: 3, after: encodeEventCursor(41) },
    );
    expect(result.field.name).toBe("requestEvents");
    expect(result.responseKey).toBe("board");
    expect(result.filter).toEqual({ ward: "UTI-ADULTO" });
    expect(result.afterSeq).toBe(41);
    expect(result.variables).toEqual({});
    expect(result.payloadQuery).toContain("requestEvent(id: $askyEventId, cursor: $askyEventCursor)");
    expect(result.payloadQuery).toContain("fragment Event on RequestEvent");
    expect(result.payloadQuery).not.toContain("$unused");
  });

  it("reads a field's own filter arguments only, and its own payload field", () => {
    const result = plan(`subscription($d: ID) { stockLow(dispenserId: $d) { quantity } }`, { d: "cabinet-1" });
    expect(result.filter).toEqual({ dispenserId: "cabinet-1" });
    expect(result.afterSeq).toBeNull();
    expect(result.payloadQuery).toContain("stockLowAlert(id: $askyEventId, cursor: $askyEventCursor)");
  });

  it("groups subscribers of one role and ward, and splits them when the payload reads User.cpf", () => {
    const shared = `subscription { requestEvents { status actor { fullName } } }`;
    expect(plan(shared).groupKey).toBe(plan(shared, {}, sameWardNurse).groupKey);
    const personal = `subscription { requestEvents { ...Who } } fragment Who on RequestEvent { actor { cpf } }`;
    expect(plan(personal).groupKey).not.toBe(plan(personal, {}, sameWardNurse).groupKey);
    expect(plan(shared).groupKey).not.toBe(plan(shared, {}, { ...nurse, ward: "PEDIATRIA" }).groupKey);
  });

  it("never groups two fields together, even with the same payload field and selection", () => {
    const events = plan(`subscription { requestEvents { status } }`);
    const changes = plan(`subscription { requestStatusChanged(requestId: "r-1") { status } }`);
    expect(events.groupKey).not.toBe(changes.groupKey);
  });

  it("refuses what it cannot serve with BAD_USER_INPUT", () => {
    expect(refusal(() => plan(`subscription { somethingElse }`)).message).toMatch(/not supported/);
    const cursor = refusal(() => plan(`subscription { stockLow(after: "nope") { quantity } }`));
    expect(cursor.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "after" });
    const reserved = refusal(() =>
      plan(`subscription($askyEventId: Boolean!) { stockLow { quantity @skip(if: $askyEventId) } }`),
    );
    expect(reserved.message).toMatch(/reserved/);
  });
});
