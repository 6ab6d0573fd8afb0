import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { itemId } from "@asky/db/seed/ids";
import { fixtureFor } from "@asky/stack/testing";
import { eventually } from "./support/eventually.js";
import { gql } from "./support/graphql.js";
import { demoToken } from "./support/session.js";

interface WardBoard {
  requests: {
    totalCount: number;
    edges: {
      node: {
        number: string;
        status: string;
        requester: { fullName: string };
        dispenser: { name: string; ward: string };
        items: { quantity: number; item: { __typename: string; name: string } }[];
      };
    }[];
  };
}

describe("federated read through the gateway", () => {
  it("answers /health with 200 once the supergraph and every subgraph are up", async () => {
    const response = await fetch(new URL("/health", inject("gatewayUrl")));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ subgraphs: { users: "ok", dispensers: "ok", requests: "ok" } });
    // The event feeds prove themselves current within a second or two of start ("degraded" until then).
    await eventually(
      async () =>
        ((await (await fetch(new URL("/health", inject("gatewayUrl")))).json()) as { status: string }).status === "ok",
      10_000,
      "/health status ok",
    );
  });

  it("joins requests with users and dispensers in one operation", async () => {
    // The newest requests are whatever earlier test files created; two of this test's own, one
    // of each item kind, make sure the page holds both kinds of catalog item.
    const nurse = await demoToken("nurse@asky.dev");
    const { dispenserId } = await fixtureFor("UTI-ADULTO", nurse);
    for (const [kind, code] of [
      ["MEDICATION", "MED-DIPIRONA-500-CP"],
      ["MATERIAL", "MAT-SERINGA-5ML"],
    ] as const) {
      const input = {
        kind,
        priority: "ROUTINE",
        dispenserId,
        items: [{ itemId: itemId(code), quantity: 1 }],
      };
      const created = await gql(
        `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`,
        {
          input,
        },
        { token: nurse },
      );
      expect(created.body.errors).toBeUndefined();
    }
    const { status, body } = await gql<WardBoard>(
      `{
      requests(first: 20) {
        totalCount
        edges { node { number status requester { fullName } dispenser { name ward } items { quantity item { __typename name } } } }
      }
    }`,
      {},
      { token: await demoToken("pharmacist@asky.dev") },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.requests.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(20);
    expect(body.data!.requests.totalCount).toBeGreaterThanOrEqual(20);
    for (const node of nodes) {
      expect(node.number).toMatch(/^REQ-\d{6,}$/);
      expect(node.requester.fullName.length).toBeGreaterThan(0);
      expect(node.dispenser.name.length).toBeGreaterThan(0);
      expect(node.dispenser.ward).toMatch(/^[A-Z0-9-]+$/);
    }
    const items = nodes.flatMap((node) => node.items);
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((item) => item.item.__typename))).toEqual(new Set(["Medication", "Material"]));
    expect(items.every((item) => item.item.name.length > 0 && item.quantity > 0)).toBe(true);
  });

  it("refuses data to an anonymous client with UNAUTHENTICATED and HTTP 401", async () => {
    const { status, body } = await gql(`{ requests(first: 1) { totalCount } }`);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(body.data ?? null).toBeNull();
  });

  it("scopes a nurse to her own ward", async () => {
    const { body } = await gql<{ requests: { totalCount: number; edges: { node: { ward: string } }[] } }>(
      `{ requests(first: 50) { totalCount edges { node { ward } } } }`,
      {},
      { token: await demoToken("nurse.peds@asky.dev") },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.requests.totalCount).toBeGreaterThan(0);
    expect(new Set(body.data!.requests.edges.map((edge) => edge.node.ward))).toEqual(new Set(["PEDIATRIA"]));
    const other = await gql(
      `{ requests(ward: "UTI-ADULTO") { totalCount } }`,
      {},
      { token: await demoToken("nurse.peds@asky.dev") },
    );
    expect(other.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("pages with stable cursors and rejects a malformed one with BAD_USER_INPUT", async () => {
    const token = await demoToken("pharmacist@asky.dev");
    const first = await gql<{
      requests: { edges: { cursor: string; node: { number: string } }[]; pageInfo: { endCursor: string } };
    }>(`{ requests(first: 5) { edges { cursor node { number } } pageInfo { endCursor } } }`, {}, { token });
    const after = first.body.data!.requests.pageInfo.endCursor;
    const second = await gql<{ requests: { edges: { node: { number: string } }[] } }>(
      `query($after: String) { requests(first: 5, after: $after) { edges { node { number } } } }`,
      { after },
      { token },
    );
    const firstNumbers = first.body.data!.requests.edges.map((edge) => edge.node.number);
    const secondNumbers = second.body.data!.requests.edges.map((edge) => edge.node.number);
    expect(secondNumbers).toHaveLength(5);
    expect(secondNumbers.some((number) => firstNumbers.includes(number))).toBe(false);

    const bad = await gql(`{ requests(first: 5, after: "garbage") { totalCount } }`, {}, { token });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("finds catalog items ignoring case and accents", async () => {
    const { body } = await gql<{ catalog: { edges: { node: { name: string; __typename: string } }[] } }>(
      `{ catalog(search: "dipirona sodica", first: 10) { edges { node { __typename name } } } }`,
      {},
      { token: await demoToken("nurse@asky.dev") },
    );
    const names = body.data!.catalog.edges.map((edge) => edge.node.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.startsWith("Dipirona Sódica"))).toBe(true);
  });

  it("answers a malformed operation with BAD_USER_INPUT and no stack trace", async () => {
    const { body } = await gql(`{ requests { nope } }`, {}, { token: await demoToken("nurse@asky.dev") });
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts:/);
  });
});

describe("malformed requests", () => {
  it("answers an unknown operationName with BAD_USER_INPUT", async () => {
    const response = await fetch(inject("gatewayUrl"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await demoToken("nurse@asky.dev")}` },
      body: JSON.stringify({ query: "query A { me { id } }", operationName: "B" }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
