/**
 * Postgres drops every connection of the services (a restart, a failover, a DBA's
 * pg_terminate_backend): the services must not go down with them. An idle pooled
 * connection that the server closes is reported on the pool as an 'error' event, which
 * ended the whole process while nothing listened for it.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";
import { gql } from "./support/graphql.js";
import { demoToken } from "./support/session.js";

const stack = testStack();
const admin = new pg.Pool({ connectionString: stack.adminDatabaseUrl, max: 1 });
afterAll(() => admin.end());

describe("losing every database connection", () => {
  it("leaves every service up, answering from fresh connections", async () => {
    const nurse = await demoToken("nurse@asky.dev");
    // Warm every pool, so that there are idle connections to lose.
    expect(
      (
        await gql(
          "{ requests(first: 5) { edges { node { number dispenser { name } requester { fullName } } } } }",
          {},
          { token: nurse },
        )
      ).body.errors,
    ).toBeUndefined();

    const { rows } = await admin.query<{ terminated: number }>(
      `select count(*)::int as terminated from (
         select pg_terminate_backend(pid) from pg_stat_activity
          where application_name like 'asky-%' and pid <> pg_backend_pid()) killed`,
    );
    expect(rows[0]!.terminated).toBeGreaterThan(0);

    // A process that died would refuse its port for a second or more before it was restarted.
    for (let check = 0; check < 20; check += 1) {
      for (const url of Object.values(stack.healthUrls)) {
        const status = await fetch(url).then(
          (response) => response.status,
          () => 0,
        );
        expect(status, url).not.toBe(0);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = await gql(
      "{ requests(first: 5) { edges { node { number dispenser { name } requester { fullName } } } } }",
      {},
      { token: nurse },
    );
    expect(after.body.errors).toBeUndefined();
  });
});
