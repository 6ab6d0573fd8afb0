/**
 * `Dispenser.openRequests` is bounded by its `first`, whatever the length of a cabinet's
 * queue: the operation limits admit an operation by that size, so a cabinet whose pharmacy
 * stopped working its queue (thousands open) must not answer with all of them.
 */
import { describe, expect, it } from "vitest";
import { createRequest, fixtureFor } from "@asky/stack/testing";
import { gql } from "./support/graphql.js";
import { demoToken } from "./support/session.js";

interface Open {
  dispenser: { openRequests: { number: string; createdAt: string }[] } | null;
}

describe("Dispenser.openRequests", () => {
  it("returns the oldest `first` open requests of a cabinet, 20 by default, at most 100", async () => {
    // PEDIATRIA's nurse: most other files create as UTI-ADULTO's, so the newest requests keep several requesters.
    const nurse = await demoToken("nurse.peds@asky.dev");
    const fixture = await fixtureFor("PEDIATRIA", nurse);
    for (let index = 0; index < 25; index += 1) await createRequest(fixture, nurse);
    const query = `query($id: ID!, $first: Int) { dispenser(id: $id) { openRequests(first: $first) { number createdAt } } }`;
    const open = async (first?: number) => {
      const { body } = await gql<Open>(
        query,
        { id: fixture.dispenserId, ...(first === undefined ? {} : { first }) },
        { token: nurse },
      );
      expect(body.errors).toBeUndefined();
      return body.data!.dispenser!.openRequests;
    };

    const all = await open(100);
    expect(all.length).toBeGreaterThanOrEqual(25);
    const times = all.map((request) => Date.parse(request.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(await open(5)).toEqual(all.slice(0, 5));
    expect(await open()).toEqual(all.slice(0, 20));

    const tooMany = await gql(query, { id: fixture.dispenserId, first: 101 }, { token: nurse });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
