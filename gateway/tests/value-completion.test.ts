/**
 * A value a subgraph cannot complete (here a request line whose catalog item no subgraph
 * resolves) nulls the data up to the nearest nullable field, as GraphQL requires, and the
 * client is told: an INTERNAL_SERVER_ERROR with a correlation id at that path, never a
 * silent `{"data": null}`.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { itemId } from "@asky/db/seed/ids";
import { demoToken, fixtureFor, gql } from "@asky/stack/testing";

const pool = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 1 });
const created: string[] = [];

afterAll(async () => {
  // The broken line must not reach any later test's board.
  if (created.length > 0) await pool.query("delete from requests.requests where id = any($1::uuid[])", [created]);
  await pool.end();
});

describe("values the gateway cannot complete", () => {
  it("reach the client as a masked error at their path, not as silently missing data", async () => {
    const nurse = await demoToken("nurse@asky.dev");
    const { dispenserId } = await fixtureFor("UTI-ADULTO", nurse);
    const { body: made } = await gql<{ createRequest: { id: string } }>(
      `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`,
      {
        input: {
          kind: "MEDICATION",
          priority: "ROUTINE",
          dispenserId,
          items: [{ itemId: itemId("MED-DIPIRONA-500-CP"), quantity: 1 }],
        },
      },
      { token: nurse },
    );
    const requestId = made.data!.createRequest.id;
    created.push(requestId);
    // As if the catalog had lost the item since: no subgraph can resolve the line's item now.
    await pool.query("update requests.request_items set item_id = $2 where request_id = $1", [requestId, randomUUID()]);

    const { status, body } = await gql<{ request: { id: string } | null }>(
      `query($id: ID!) { request(id: $id) { id items { quantity item { name } } } }`,
      { id: requestId },
      { token: await demoToken("pharmacist@asky.dev") },
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ request: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      message: "Internal server error",
      extensions: { code: "INTERNAL_SERVER_ERROR", correlationId: expect.any(String) },
    });
    expect(JSON.stringify(body)).not.toMatch(/valueCompletion|Cannot return null|subgraph/i);
  });
});
