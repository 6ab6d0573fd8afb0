/**
 * Request lists page on (created_at, id), newest first, and created_at keeps microseconds: a
 * cursor cut to the millisecond would skip the requests made in the same millisecond as the
 * last one a client saw, just before it. Both lists are walked one request at a time across
 * two requests of one millisecond.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminPool, create, dipirona, idOf, newCabinet, nurse, ok, pharmacist } from "./support.js";

const pool = adminPool();
afterAll(async () => {
  await pool.end();
});

/** A cursor placed just after the two requests, so that the walk starts at them. */
const startAfter = Buffer.from(
  JSON.stringify(["2026-03-01T10:00:00.124000Z", "ffffffff-ffff-4fff-bfff-ffffffffffff"]),
).toString("base64url");

let cabinet = "";
let newer = "";
let older = "";

beforeAll(async () => {
  cabinet = await newCabinet();
  const line = { kind: "MEDICATION", dispenserId: cabinet, items: [{ itemId: dipirona, quantity: 1 }] };
  newer = (await create(nurse, line)).id;
  older = (await create(nurse, line)).id;
  // 56 µs apart within one millisecond, and older than anything another test creates.
  await pool.query("update requests.requests set created_at = $2 where id = $1", [
    newer,
    "2026-03-01T10:00:00.123456Z",
  ]);
  await pool.query("update requests.requests set created_at = $2 where id = $1", [
    older,
    "2026-03-01T10:00:00.123400Z",
  ]);
});

interface Page {
  pageInfo: { endCursor: string | null };
  edges: { node: { id: string } }[];
}

/** The ids of two pages of one request each, the second read after the first's endCursor. */
async function twoPages(read: (after: string) => Promise<Page>): Promise<string[]> {
  const first = await read(startAfter);
  const second = await read(first.pageInfo.endCursor ?? "");
  return [...first.edges, ...second.edges].map((edge) => edge.node.id);
}

const pageFields = "pageInfo { endCursor } edges { node { id } }";

describe("request pages within one millisecond", () => {
  it("Query.requests gives both requests, newest first", async () => {
    const ids = await twoPages(async (after) => {
      const data = await ok<{ requests: Page }>(
        pharmacist,
        `query($d: ID!, $after: String) { requests(first: 1, dispenserId: $d, after: $after) { ${pageFields} } }`,
        { d: cabinet, after },
      );
      return data.requests;
    });
    expect(ids).toEqual([newer, older]);
  });

  it("User.requests gives both requests, newest first", async () => {
    const ids = await twoPages(async (after) => {
      const data = await ok<{ user: { requests: Page } }>(
        pharmacist,
        `query($id: ID!, $after: String) { user(id: $id) { requests(first: 1, after: $after) { ${pageFields} } } }`,
        { id: idOf(nurse), after },
      );
      return data.user.requests;
    });
    expect(ids).toEqual([newer, older]);
  });
});
