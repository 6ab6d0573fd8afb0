import { describe, expect, it } from "vitest";
import { summarizeSql } from "../../src/sql-spans.js";

describe("summarizeSql", () => {
  it.each([
    ['select "id", "name" from "asky_requests"."requests" where "id" = $1', "SELECT", "asky_requests.requests"],
    ['insert into "asky_requests"."outbox" ("id") values ($1)', "INSERT", "asky_requests.outbox"],
    ['update "asky_dispensers"."stock_levels" set "quantity" = $1', "UPDATE", "asky_dispensers.stock_levels"],
    ["delete from asky_users.sessions where id = $1", "DELETE", "asky_users.sessions"],
    ["  SELECT 1", "SELECT", undefined],
  ])("names %s as %s %s", (text, operation, collection) => {
    expect(summarizeSql(text)).toEqual(collection ? { operation, collection } : { operation });
  });

  it("gives statements other than reads and writes their keyword only, and anything else SQL", () => {
    expect(summarizeSql("with appended as (insert into x values (1)) select 1")).toEqual({ operation: "WITH" });
    expect(summarizeSql('listen "asky_requests_outbox"')).toEqual({ operation: "LISTEN" });
    expect(summarizeSql("begin")).toEqual({ operation: "BEGIN" });
    expect(summarizeSql("vacuum analyze")).toEqual({ operation: "SQL" });
  });

  it("never returns a literal of the statement", () => {
    const summary = summarizeSql("select * from patients where name = 'Maria da Silva'");
    expect(JSON.stringify(summary)).not.toContain("Maria");
  });
});
