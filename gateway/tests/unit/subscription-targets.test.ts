/**
 * The subscribe-time checks of what a subscription names (a request, a cabinet): an id that is
 * no id is refused before any query, a missing or hidden object is refused with the HTTP API's
 * code, and a lookup that failed is not mistaken for a missing object.
 */
import { GraphQLError, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import type { Viewer } from "@asky/contracts";
import { subscriptionFields } from "../../src/subscriptions/fields/index.js";
import type { SubscriberQuery } from "../../src/subscriptions/subscription-field.js";

const UTI = "UTI-ADULTO";
const cabinet = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02";
const requestId = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c01";
const nurse: Viewer = { id: "n-1", role: "NURSE", ward: UTI };
const otherNurse: Viewer = { id: "n-2", role: "NURSE", ward: "PEDIATRIA" };
const pharmacist: Viewer = { id: "p-1", role: "PHARMACIST", ward: null };

const field = (name: string) => subscriptionFields.fields.get(name)!;
const noQuery: SubscriberQuery = () => Promise.reject(new Error("no query expected"));
const answering =
  (result: ExecutionResult): SubscriberQuery =>
  () =>
    Promise.resolve(result);

describe("requestStatusChanged", () => {
  it("refuses an id that is no id with BAD_USER_INPUT naming the argument, without a query", async () => {
    for (const id of ["", "42", "REQ-000042", `${requestId}x`, "' or 1=1 --"]) {
      await expect(
        field("requestStatusChanged").authorize({ filter: { requestId: id }, viewer: nurse, query: noQuery }),
      ).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "requestId" } });
    }
  });

  it("refuses a request the subscriber cannot see with NOT_FOUND, and a failed lookup with its own error", async () => {
    await expect(
      field("requestStatusChanged").authorize({
        filter: { requestId },
        viewer: nurse,
        query: answering({ data: { request: null } }),
      }),
    ).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    const down = new GraphQLError("Service unavailable", { extensions: { code: "INTERNAL_SERVER_ERROR" } });
    await expect(
      field("requestStatusChanged").authorize({
        filter: { requestId },
        viewer: nurse,
        query: answering({ data: null, errors: [down] }),
      }),
    ).rejects.toBe(down);
    await expect(
      field("requestStatusChanged").authorize({
        filter: { requestId },
        viewer: nurse,
        query: answering({ data: { request: { id: requestId } } }),
      }),
    ).resolves.toBeUndefined();
  });
});

describe.each(["requestEvents", "stockLow"])("%s filtered on a cabinet", (name) => {
  const ofWard = (ward: string) => answering({ data: { dispenser: { id: cabinet, ward } } });

  it("refuses an id that is no id with BAD_USER_INPUT, without a query", async () => {
    for (const id of ["", "PYX-UTI-01", cabinet.toUpperCase().replace(/-/g, "")]) {
      await expect(
        field(name).authorize({ filter: { dispenserId: id }, viewer: pharmacist, query: noQuery }),
      ).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "dispenserId" } });
    }
  });

  it("refuses an unknown cabinet with NOT_FOUND, and another ward's with FORBIDDEN for a nurse", async () => {
    await expect(
      field(name).authorize({
        filter: { dispenserId: cabinet },
        viewer: pharmacist,
        query: answering({ data: { dispenser: null } }),
      }),
    ).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    await expect(
      field(name).authorize({ filter: { dispenserId: cabinet }, viewer: otherNurse, query: ofWard(UTI) }),
    ).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
    for (const viewer of [nurse, pharmacist]) {
      await expect(
        field(name).authorize({ filter: { dispenserId: cabinet }, viewer, query: ofWard(UTI) }),
      ).resolves.toBeUndefined();
    }
  });
});
