/**
 * Rate limits and production hygiene, on gateway replicas of the test stack started with
 * small allowances (or NODE_ENV=production), so that nothing here slows the shared gateway.
 */
import { afterAll, describe, expect, it } from "vitest";
import { privateKeyFile } from "@asky/auth";
import { demoToken, eventually, gatewayMetrics, gql, testStack } from "@asky/stack/testing";
import { startExtraGateway } from "./support/extra-gateway.js";

const stack = testStack();
const gateways: Awaited<ReturnType<typeof startExtraGateway>>[] = [];
afterAll(() => gateways.forEach((gateway) => gateway.stop()));

async function replica(env: Record<string, string>) {
  const gateway = await startExtraGateway(env);
  gateways.push(gateway);
  return gateway;
}

async function replicasHeard(url: string): Promise<number> {
  return Number(/^asky_gateway_replicas (\d+)$/m.exec(await gatewayMetrics(url))?.[1] ?? 0);
}

describe("rate limits", () => {
  it("refuse a user past the allowance with RATE_LIMITED and Retry-After", async () => {
    const gateway = await replica({ RATE_LIMIT_USER_BURST: "5", RATE_LIMIT_USER_PER_SECOND: "1" });
    const nurse = await demoToken("nurse@asky.dev");
    const responses = [];
    for (let index = 0; index < 8; index += 1) {
      responses.push(
        await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${nurse}` },
          body: JSON.stringify({ query: "{ me { id } }" }),
        }),
      );
    }
    const statuses = responses.map((response) => response.status);
    // The stack's own gateway is a replica too: the allowance of 5 is shared between them.
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(5);
    const refused = responses.find((response) => response.status === 429);
    expect(refused).toBeDefined();
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await refused!.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: "RATE_LIMITED", reason: "USER_RATE_LIMIT" });
    // Another user is not affected by the first one's allowance.
    const other = await gql("{ me { id } }", {}, { token: await demoToken("nurse.peds@asky.dev"), url: gateway.url });
    expect(other.status).toBe(200);
  });

  it("refuse a client address past its allowance, signed in or not", async () => {
    const gateway = await replica({ RATE_LIMIT_ADDRESS_BURST: "6", RATE_LIMIT_ADDRESS_PER_SECOND: "1" });
    const statuses: number[] = [];
    for (let index = 0; index < 10; index += 1)
      statuses.push((await gql("{ __typename }", {}, { url: gateway.url })).status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(6);
    const refused = await gql("{ __typename }", {}, { url: gateway.url });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", reason: "ADDRESS_RATE_LIMIT" });
  });

  it("charge a user what their operations cost, not only how many there are", async () => {
    // Shared by this replica and the stack's gateway (at least two replicas): 60,000 each.
    const gateway = await replica({ COST_LIMIT_USER_BURST: "120000", COST_LIMIT_USER_PER_SECOND: "100" });
    // Until it hears the stack's gateway, a replica counts itself alone and grants the whole
    // allowance: on a loaded machine the first heartbeat can come after the first operations.
    await eventually(async () => (await replicasHeard(gateway.url)) >= 2, 15_000, "the replica to hear another");
    const token = await demoToken("tech@asky.dev");
    const costly = `{ requests(first: 100) { edges { node { id number status history { from to at by { fullName } } items { quantity item { name } } requester { fullName requests(first: 10) { totalCount edges { node { id number status } } } } } } } }`;
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1)
      statuses.push((await gql(costly, {}, { token, url: gateway.url })).status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(4);
    const refused = await gql(costly, {}, { token, url: gateway.url });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", reason: "COST_RATE_LIMIT" });
    // Cheap operations of the same user still fit the rest of the allowance.
    expect((await gql("{ me { id } }", {}, { token, url: gateway.url })).status).toBe(200);
  });

  it("do not multiply with replicas: two gateways grant one allowance between them", async () => {
    const env = { RATE_LIMIT_USER_BURST: "12", RATE_LIMIT_USER_PER_SECOND: "1" };
    const [first, second] = await Promise.all([replica(env), replica(env)]);
    // Both extra replicas and the stack's gateway hear each other within a few heartbeats.
    await eventually(
      async () => (await replicasHeard(first.url)) >= 3 && (await replicasHeard(second.url)) >= 3,
      15_000,
      "replicas to hear each other",
    );
    const token = await demoToken("pharmacist@asky.dev");
    let granted = 0;
    for (let index = 0; index < 30; index += 1) {
      const { status } = await gql("{ me { id } }", {}, { token, url: index % 2 === 0 ? first.url : second.url });
      if (status === 200) granted += 1;
    }
    // Alone, each replica would grant 12 (24 in all); sharing, the two together grant at most
    // the allowance of 12, plus what refills while the loop runs.
    expect(granted).toBeGreaterThanOrEqual(4);
    expect(granted).toBeLessThanOrEqual(14);
  });
});

describe("in production", () => {
  it("hides the schema, suggestions, topology and metrics", async () => {
    const gateway = await replica({
      NODE_ENV: "production",
      SIGNING_JWKS: privateKeyFile(stack.keysDir, "gateway"),
      METRICS_TOKEN: "",
    });
    const nurse = await demoToken("nurse@asky.dev");

    const introspection = await gql("{ __schema { types { name } } }", {}, { token: nurse, url: gateway.url });
    expect(introspection.body.data ?? null).toBeNull();
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    const typo = await gql("{ me { nicknam } }", {}, { token: nurse, url: gateway.url });
    expect(typo.body.errors?.[0]?.message).not.toMatch(/did you mean/i);

    const forbidden = await gql(
      `mutation { adjustStock(input: { dispenserId: "00000000-0000-0000-0000-000000000000", itemId: "00000000-0000-0000-0000-000000000000", delta: 1, reason: RESTOCK }) { quantity } }`,
      {},
      { token: nurse, url: gateway.url },
    );
    expect(forbidden.body.errors?.length).toBeGreaterThan(0);
    for (const error of forbidden.body.errors ?? [])
      expect(Object.keys(error.extensions ?? {})).not.toContain("serviceName");

    expect((await fetch(new URL("/metrics", gateway.url))).status).toBe(404);
    // Still a working gateway for the nurse.
    expect((await gql("{ me { id } }", {}, { token: nurse, url: gateway.url })).body.errors).toBeUndefined();
  });

  it("serves /metrics only with its token", async () => {
    expect((await fetch(new URL("/metrics", stack.gatewayUrl))).status).toBe(404);
    expect(
      (await fetch(new URL("/metrics", stack.gatewayUrl), { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(404);
    expect(await gatewayMetrics(stack.gatewayUrl)).toMatch(/asky_gateway_subgraph_requests_total/);
  });
});
