/**
 * Bounded work per operation: the documents that took the first version down (deep
 * nesting, lists multiplied through entity references, thousands of aliases, fragments that
 * spread the next one twice, megabytes of anonymous `__typename`) are refused by the gateway
 * with their reason before any subgraph is called, and by a subgraph reached directly.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSigningKeys, signInternalToken } from "@asky/auth";
import { personByEmail } from "@asky/db/seed/people";
import { demoToken, gatewayMetrics, testStack } from "@asky/stack/testing";
import { subscribe, until, wsClient } from "./support/ws-client.js";

const stack = testStack();
let nurse: string;

beforeAll(async () => {
  nurse = await demoToken("nurse@asky.dev");
});

async function subgraphCalls(): Promise<number> {
  const text = await gatewayMetrics(stack.gatewayUrl);
  return [...text.matchAll(/^asky_gateway_subgraph_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

async function post(
  body: unknown,
  token?: string,
): Promise<{
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}> {
  const response = await fetch(stack.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as never };
}

const nest = (levels: number, wrap: (inner: string) => string, leaf = "id") => {
  let selection = leaf;
  for (let level = 0; level < levels; level += 1) selection = wrap(selection);
  return selection;
};

/** The ~600-byte query that made the requests service build a multi-GB answer. */
const openRequestsChain = `{ dispensers(first: 100) { edges { node { ${nest(7, (inner) => `openRequests { dispenser { ${inner} } }`)} } } } }`;
/** requests → requester → requests, each page 100: four levels ran ~4,000 statements. */
const requesterChain = (levels: number) =>
  `{ ${nest(levels, (inner) => `requests(first: 100) { edges { node { requester { ${inner} } } } }`)} }`;
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, index) => `a${index}: requests(first: 100) { totalCount }`).join(" ")} }`;
const fragmentBomb = (levels: number) => {
  const fragments = [`fragment F${levels} on Query { __typename }`];
  for (let level = levels - 1; level >= 0; level -= 1)
    fragments.push(`fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`);
  return `{ ...F0 } ${fragments.join(" ")}`;
};

const attacks: { name: string; query: string; reason: string }[] = [
  { name: "openRequests → dispenser chain, 18 deep", query: openRequestsChain, reason: "MAX_DEPTH" },
  { name: "depth 200", query: `{ ${nest(200, (inner) => `dispenser(id: "x") { ${inner} }`)} }`, reason: "MAX_DEPTH" },
  { name: "requests → requester → requests, four levels", query: requesterChain(4), reason: "MAX_DEPTH" },
  { name: "requests → requester → requests, two levels of 100", query: requesterChain(2), reason: "MAX_COST" },
  { name: "1,000 aliases of requests(first: 100)", query: aliases(1_000), reason: "MAX_TOKENS" },
  { name: "100 aliases of requests(first: 100)", query: aliases(100), reason: "MAX_ALIASES" },
  { name: "5,000 aliases", query: aliases(5_000), reason: "MAX_TOKENS" },
  { name: "2^25 fragment spreads", query: fragmentBomb(25), reason: "MAX_COST" },
  {
    name: "40 root fields",
    query: `{ ${Array.from({ length: 40 }, (_, index) => `f${index}: __typename`).join(" ")} }`,
    reason: "MAX_ALIASES",
  },
];

describe("operation limits at the gateway", () => {
  it.each(attacks)("refuses $name with $reason before any subgraph call", async ({ query, reason }) => {
    const before = await subgraphCalls();
    const response = await post({ query }, nurse);
    expect(response.status).toBe(400);
    const error = response.body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason });
    if (reason !== "FRAGMENT_CYCLE")
      expect(Number(error?.extensions?.measured)).toBeGreaterThan(Number(error?.extensions?.limit));
    expect(response.body.data).toBeUndefined();
    expect(await subgraphCalls()).toBe(before);
  });

  it("refuses too many root fields by their count", async () => {
    const response = await post({ query: `{ ${Array.from({ length: 25 }, () => "__typename").join(" ")} }` }, nurse);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ reason: "MAX_ROOT_FIELDS", measured: 25 });
  });

  it("refuses a fragment that spreads itself", async () => {
    const response = await post({ query: "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }" }, nurse);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "FRAGMENT_CYCLE" });
  });

  it("counts a page size given in variables", async () => {
    const query = `query($n: Int) { requests(first: $n) { edges { node { requester { requests(first: $n) { edges { node { id number status } } } } } } } }`;
    const small = await post({ query, variables: { n: 5 } }, nurse);
    expect(small.body.errors).toBeUndefined();
    const large = await post({ query, variables: { n: 100 } }, nurse);
    expect(large.body.errors?.[0]?.extensions).toMatchObject({ reason: "MAX_COST" });
  });

  it("lets the ward board and the explorer's introspection through", async () => {
    const board = await post(
      {
        query:
          "{ requests { edges { node { number status requester { fullName } dispenser { name ward } items { quantity item { name } } } } } }",
      },
      nurse,
    );
    expect(board.body.errors).toBeUndefined();
    const { getIntrospectionQuery } = await import("graphql");
    const introspection = await post({
      query: getIntrospectionQuery({
        descriptions: true,
        inputValueDeprecation: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
      }),
    });
    expect(introspection.body.errors).toBeUndefined();
  });

  it("stays healthy, its memory flat, after each attack ten times over", async () => {
    const rss = async () =>
      Number(/^process_resident_memory_bytes (\d+)$/m.exec(await gatewayMetrics(stack.gatewayUrl))?.[1]);
    const before = await rss();
    for (let round = 0; round < 10; round += 1) {
      for (const { query } of attacks) expect((await post({ query }, nurse)).status).toBe(400);
    }
    expect(await rss()).toBeLessThan(before + 64 * 1024 * 1024);
    const health = await fetch(new URL("/health", stack.gatewayUrl));
    expect(health.status).toBe(200);
  });
});

describe("operation limits on subscriptions", () => {
  it("refuse an over-deep or over-costly subscription document with its reason", async () => {
    const client = wsClient(stack.gatewayUrl, nurse);
    try {
      const deep = subscribe(
        client,
        `subscription { requestEvents { request { dispenser { ${nest(8, (inner) => `openRequests { dispenser { ${inner} } }`)} } } } }`,
      );
      const bomb = subscribe(
        client,
        `subscription { requestEvents { ...F0 } } ${Array.from({ length: 25 }, (_, level) => `fragment F${level} on RequestEvent { ...F${level + 1} ...F${level + 1} }`).join(" ")} fragment F25 on RequestEvent { cursor }`,
      );
      await until(() => deep.errors.length > 0 && bomb.errors.length > 0, 10_000, "both refusals");
      // graphql-ws hands a refused subscribe's errors over as one array.
      const firstError = (errors: unknown[]) =>
        ([errors[0]].flat()[0] as { extensions?: Record<string, unknown> }).extensions;
      expect(firstError(deep.errors)).toMatchObject({ code: "BAD_USER_INPUT", reason: "MAX_DEPTH" });
      expect(firstError(bomb.errors)).toMatchObject({ code: "BAD_USER_INPUT", reason: "MAX_COST" });
      // The socket itself stays usable for an ordinary board.
      const board = subscribe(client, "subscription { requestEvents { cursor status } }");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(board.errors).toEqual([]);
      board.stop();
    } finally {
      await client.dispose();
    }
  });
});

describe("before parsing", () => {
  it("refuses an anonymous megabyte of __typename aliases by its size", async () => {
    const query = `{ ${"a: __typename ".repeat(70_000)} }`;
    const response = await post({ query });
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "MAX_BODY_BYTES" });
  });

  it("reads far fewer tokens from an anonymous client", async () => {
    const query = `{ ${"__typename ".repeat(1_200)} }`;
    const anonymous = await post({ query });
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({ reason: "MAX_TOKENS", limit: 1_000 });
    const signedIn = await post({ query }, nurse);
    expect(signedIn.body.errors?.[0]?.extensions?.reason).not.toBe("MAX_TOKENS");
  });

  it("refuses a present but invalid token before reading the body", async () => {
    const response = await post({ query: "{ me { id } }" }, "not-a-token");
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("answers several operations without operationName with HTTP 400", async () => {
    const response = await post({ query: "query A { me { id } } query B { me { nickname } }" }, nurse);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "OPERATION_NAME_REQUIRED",
    });
    const named = await post({ query: "query A { me { id } } query B { me { nickname } }", operationName: "B" }, nurse);
    expect(named.body.errors).toBeUndefined();
  });

  it("checks a persisted-query hash against its text, and never remembers a text by its hash", async () => {
    const query = "{ me { id nickname } }";
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const persistedQuery = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

    const mismatch = await post({ query, extensions: persistedQuery("0".repeat(64)) }, nurse);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "PERSISTED_QUERY_HASH_MISMATCH",
    });

    const unknown = await post(
      { extensions: persistedQuery(createHash("sha256").update(`${query} `).digest("hex")) },
      nurse,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });

    // Operations run by hash are the trusted documents' manifest (gateway/src/trusted-documents),
    // not whatever a client once sent: no automatic persisted queries.
    const sent = await post({ query, extensions: persistedQuery(sha256Hash) }, nurse);
    expect(sent.body.errors).toBeUndefined();
    const byHash = await post({ extensions: persistedQuery(sha256Hash) }, nurse);
    expect(byHash.status).toBe(400);
    expect(byHash.body.errors?.[0]?.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
  });
});

describe("a subgraph reached directly", () => {
  const gatewayKey = loadSigningKeys({
    owner: "gateway",
    jwks: undefined,
    keysDir: stack.keysDir,
    production: false,
  }).then(([key]) => key);

  async function callRequests(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: { errors?: { extensions?: Record<string, unknown> }[] } }> {
    const person = personByEmail("pharmacist@asky.dev");
    const token = await signInternalToken(await gatewayKey, {
      issuer: "gateway",
      audience: "requests",
      viewer: { id: person.id, role: person.role, ward: person.ward },
    });
    const response = await fetch(stack.subgraphUrls.requests, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  it("refuses the openRequests chain with the same guard", async () => {
    const chain = `{ requests(first: 100) { edges { node { dispenser { ${nest(8, (inner) => `openRequests { dispenser { ${inner} } }`)} } } } } }`;
    const response = await callRequests(chain);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "MAX_DEPTH" });
  });

  it("counts _entities by the representations sent", async () => {
    const representations = Array.from({ length: 5_000 }, () => ({
      __typename: "Dispenser",
      id: "00000000-0000-0000-0000-000000000000",
    }));
    const { body } = await callRequests(
      "query($r: [_Any!]!) { _entities(representations: $r) { ... on Dispenser { openRequests { id number status } } } }",
      { r: representations },
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ reason: "MAX_COST" });
  });
});

afterAll(async () => {
  // Every process of the stack survived: the gateway and each subgraph still answer.
  for (const url of Object.values(stack.healthUrls)) expect((await fetch(url)).status).toBe(200);
});
