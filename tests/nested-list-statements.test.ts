/**
 * Nested lists cost one SQL statement per level, whatever the number of parents. Through a
 * real gateway, over replicas of the requests and dispensers subgraphs at LOG_LEVEL=trace
 * (each logs every statement with the operation's correlation id), we count what the
 * documents that once drained the requests service's pool cost now.
 *
 * The gateway and the replicas get generous operation limits: depth and cost limits refuse
 * these documents at the door, and this test is about the next line of defence, what a
 * subgraph costs for a document that got through.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExtraGateway } from "@asky/stack/testing";
import { demoToken } from "./support/session.js";
import { pickedRequestWithSubstitute } from "./support/picked-request.js";
import { startReplica, type Replica } from "./support/replica.js";

const generousLimits = { MAX_QUERY_DEPTH: "64", MAX_QUERY_COST: "100000000", MAX_QUERY_ALIASES: "100" };

let requests: Replica;
let dispensers: Replica;
let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
let pharmacist: string;

beforeAll(async () => {
  [requests, dispensers] = await Promise.all([
    startReplica("requests", { LOG_LEVEL: "trace", ...generousLimits }),
    startReplica("dispensers", { LOG_LEVEL: "trace", ...generousLimits }),
  ]);
  gateway = await startExtraGateway({ REQUESTS_URL: requests.url, DISPENSERS_URL: dispensers.url, ...generousLimits });
  pharmacist = await demoToken("pharmacist@asky.dev");
  // The newest request: lines with lots and a substitute line with lots of its own.
  await pickedRequestWithSubstitute();
});

afterAll(async () => {
  gateway?.stop();
  await Promise.all([requests?.stop(), dispensers?.stop()]);
});

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean };
  edges: { node: { id: string; requester?: { id: string; requests: Page } } }[];
}

/** Runs `query` through the extra gateway; returns its data and the statements each replica ran for it. */
async function run<TData>(query: string) {
  const correlationId = `statements-${randomUUID()}`;
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${pharmacist}`,
      "x-request-id": correlationId,
    },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: TData; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  // Log lines arrive through pipes; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    data: body.data!,
    requests: requests.statements(correlationId),
    dispensers: dispensers.statements(correlationId),
  };
}

/** requests → requester → requests → …, `sizes[i]` the page size of level i. */
function requesterChain(sizes: readonly number[]): string {
  const page = (level: number): string => {
    const inner =
      level + 1 < sizes.length ? ` requester { id requests(first: ${sizes[level + 1]}) { ${page(level + 1)} } }` : "";
    return `totalCount pageInfo { hasNextPage } edges { node { id${inner} } }`;
  };
  return `{ requests(first: ${sizes[0]}) { ${page(0)} } }`;
}

/** Every User.requests page of a level, in document order. */
function pagesAt(root: Page, depth: number): Page[] {
  let pages = [root];
  for (let level = 0; level < depth; level++) {
    pages = pages.flatMap((page) => page.edges.map((edge) => edge.node.requester!.requests));
  }
  return pages;
}

describe("statements per nested level", () => {
  it("requests → requester → requests, four levels of different page sizes: 2 statements at the root, then 1 per level", async () => {
    const { data, requests: statements } = await run<{ requests: Page }>(requesterChain([10, 9, 8, 7]));
    // The result really fans out: 10 parents, then 10 × up to 9, then those × up to 8.
    expect(data.requests.edges).toHaveLength(10);
    expect(pagesAt(data.requests, 1)).toHaveLength(10);
    expect(pagesAt(data.requests, 2).length).toBeGreaterThan(10);
    expect(pagesAt(data.requests, 3).length).toBeGreaterThan(pagesAt(data.requests, 2).length);
    // The root connection is a page and a count; each nested level, every user's page and
    // total in one statement. One statement per user per level before: hundreds here.
    expect(statements, statements.join("\n")).toHaveLength(5);
    expect(statements.every((statement) => statement.startsWith("select"))).toBe(true);
  });

  it("repeats of one page (same user, same arguments) come from the operation's loader", async () => {
    const { data, requests: statements } = await run<{ requests: Page }>(requesterChain([10, 10, 10, 10]));
    expect(pagesAt(data.requests, 3).length).toBeGreaterThan(10);
    // Level 3 and 4 ask for the pages level 2 already read: a requester's request has that requester.
    expect(statements, statements.join("\n")).toHaveLength(3);
  });

  it("requests → items → lots and substitutedBy → lots: the same statements for 3 requests or 20", async () => {
    type Lines = { items: { lots: unknown[]; substitutedBy: { lots: unknown[] } | null }[] };
    const linesOf = (size: number) =>
      run<{ requests: { edges: { node: Lines }[] } }>(
        `{ requests(first: ${size}) { edges { node { items { lots { lotNumber } substitutedBy { id lots { lotNumber } } } } } } }`,
      );
    const [few, many] = [await linesOf(3), await linesOf(20)];
    const lines = many.data.requests.edges.flatMap((edge) => edge.node.items);
    expect(lines.some((line) => line.lots.length > 0 && line.substitutedBy === null)).toBe(true);
    expect(lines.some((line) => (line.substitutedBy?.lots.length ?? 0) > 0)).toBe(true);
    // A page and a count, every line of the page, their lots, the substitutes' lots (the
    // substitute lines themselves come from the lines already loaded).
    expect(many.requests, many.requests.join("\n")).toHaveLength(few.requests.length);
    expect(many.requests.length).toBeLessThanOrEqual(5);
  });

  it("dispensers → openRequests → dispenser → openRequests: the dispensers page, then one statement", async () => {
    const {
      data,
      requests: fromRequests,
      dispensers: fromDispensers,
    } = await run<{
      dispensers: {
        edges: {
          node: {
            id: string;
            openRequests: { id: string; dispenser: { id: string; openRequests: { id: string }[] } }[];
          };
        }[];
      };
    }>(`{ dispensers(first: 20) { edges { node { id openRequests { id dispenser { id openRequests { id } } } } } } }`);
    const open = data.dispensers.edges.flatMap((edge) => edge.node.openRequests);
    expect(data.dispensers.edges.length).toBeGreaterThan(1);
    expect(open.length).toBeGreaterThan(1);
    // A page and a count in the dispensers subgraph; every cabinet's open requests in one
    // statement, and the nested level finds the same cabinets in the operation's loader.
    expect(fromDispensers, fromDispensers.join("\n")).toHaveLength(2);
    expect(fromRequests, fromRequests.join("\n")).toHaveLength(1);
  });
});
