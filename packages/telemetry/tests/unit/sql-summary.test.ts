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

  it("names a WITH after the table it changes or else reads; other statements get their keyword, anything else SQL", () => {
    expect(summarizeSql('with appended as (insert into "asky_requests"."outbox" ("id") values ($1)) select 1')).toEqual(
      {
        operation: "INSERT",
        collection: "asky_requests.outbox",
      },
    );
    expect(summarizeSql("with open as (select id from asky_requests.requests) select * from open")).toEqual({
      operation: "SELECT",
      collection: "asky_requests.requests",
    });
    expect(summarizeSql("with one as (values (1)) values (2)")).toEqual({ operation: "WITH" });
    expect(summarizeSql('listen "asky_requests_outbox"')).toEqual({ operation: "LISTEN" });
    expect(summarizeSql("begin")).toEqual({ operation: "BEGIN" });
    expect(summarizeSql("vacuum analyze")).toEqual({ operation: "SQL" });
  });

  it("never returns a literal of the statement", () => {
    const summary = summarizeSql("select * from patients where name = 'Maria da Silva'");
    expect(JSON.stringify(summary)).not.toContain("Maria");
  });
});
