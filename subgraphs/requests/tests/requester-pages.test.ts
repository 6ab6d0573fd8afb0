/**
 * User.requests is read for a whole level of users at once; each user's page must still be
 * exactly what the connection promises one user: newest first, the cursor, hasNextPage,
 * totalCount, the status filter and the viewer's ward.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminPool,
  ask,
  codeOf,
  dipirona,
  idOf,
  medicationRequest,
  nurse,
  ok,
  pedsCabinet,
  pedsNurse,
  pharmacist,
  create,
} from "./support.js";

const pool = adminPool();
afterAll(async () => {
  await pool.end();
});

// The files before this one create mostly as UTI-ADULTO's nurse: the newest requests must
// still hold several requesters for a level to be batched.
beforeAll(async () => {
  await create(pedsNurse, { kind: "MEDICATION", dispenserId: pedsCabinet, items: [{ itemId: dipirona, quantity: 1 }] });
  await medicationRequest();
});

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; ward: string; status: string } }[];
}

const pageFields = `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id ward status } }`;

/** What the connection must hold for `requesterId`, straight from the table. */
async function expected(requesterId: string, filter: { ward?: string; status?: string[] } = {}) {
  const { rows } = await pool.query<{ id: string }>(
    `select id from requests.requests
      where requester_id = $1 and ($2::text is null or ward = $2) and ($3::text[] is null or status::text = any($3))
      order by created_at desc, id desc`,
    [requesterId, filter.ward ?? null, filter.status ?? null],
  );
  return rows.map((row) => row.id);
}

/** Distinct requesters of the newest requests, each with the page the batch gave them. */
async function batchedPages(account: typeof nurse | typeof pharmacist, args: string) {
  const data = await ok<{ requests: { edges: { node: { requester: { id: string; requests: Page } } }[] } }>(
    account,
    `{ requests(first: 40) { edges { node { requester { id requests(${args}) { ${pageFields} } } } } } }`,
  );
  const byUser = new Map<string, Page>();
  for (const { node } of data.requests.edges) byUser.set(node.requester.id, node.requester.requests);
  return byUser;
}

describe("User.requests, batched per level", () => {
  it("gives every user of a level their own newest-first page, total and hasNextPage", async () => {
    const pages = await batchedPages(pharmacist, "first: 3");
    expect(pages.size).toBeGreaterThan(1);
    for (const [userId, page] of pages) {
      const ids = await expected(userId);
      expect(page.edges.map((edge) => edge.node.id)).toEqual(ids.slice(0, 3));
      expect(page.totalCount).toBe(ids.length);
      expect(page.pageInfo.hasNextPage).toBe(ids.length > 3);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    }
  });

  it("applies the status filter and the nurse's ward to each user's page and total", async () => {
    const pages = await batchedPages(nurse, `first: 50, status: [PENDING, DELIVERED]`);
    expect(pages.size).toBeGreaterThan(0);
    for (const [userId, page] of pages) {
      const ids = await expected(userId, { ward: "UTI-ADULTO", status: ["PENDING", "DELIVERED"] });
      expect(page.edges.map((edge) => edge.node.id)).toEqual(ids.slice(0, 50));
      expect(page.totalCount).toBe(ids.length);
      expect(page.edges.every((edge) => edge.node.ward === "UTI-ADULTO")).toBe(true);
    }
  });

  it("walks one user's requests page by page with the cursor, as the list it always was", async () => {
    // The demo nurse's list grows with every suite that signs her in: the walk is bounded by
    // the list it should find, not by a fixed number of pages.
    const ids = await expected(idOf(nurse));
    const pageSize = 7;
    expect(ids.length).toBeGreaterThan(pageSize);
    const walked: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages <= Math.ceil(ids.length / pageSize); pages++) {
      const data: { user: { requests: Page } } = await ok(
        pharmacist,
        `query($id: ID!, $after: String) { user(id: $id) { requests(first: ${pageSize}, after: $after) { ${pageFields} } } }`,
        { id: idOf(nurse), after },
      );
      walked.push(...data.user.requests.edges.map((edge) => edge.node.id));
      if (!data.user.requests.pageInfo.hasNextPage) break;
      after = data.user.requests.pageInfo.endCursor;
    }
    expect(walked).toEqual(ids);
  });

  it("refuses a malformed cursor with BAD_USER_INPUT, on the field that carries it", async () => {
    const body = await ask<{ user: unknown }>(
      pharmacist,
      `query($id: ID!) { user(id: $id) { id requests(after: "not-a-cursor") { totalCount } } }`,
      {
        id: idOf(nurse),
      },
    );
    expect(codeOf(body)).toBe("BAD_USER_INPUT");
  });
});
