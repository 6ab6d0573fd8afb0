/**
 * The gateway's figures on /metrics, scraped as Prometheus does after real traffic: subgraph
 * call latency by subgraph and outcome, subscription fan-out time and lag from the commit,
 * revocation feed freshness, and every figure the gateway served before they moved onto
 * OpenTelemetry, under the same names and labels (alerts, dashboards and the benchmarks read them).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { subgraphNames } from "@asky/contracts";
import { eventually, gatewayMetrics, gql, samplesOf, sumOf, testStack, typeOf } from "@asky/stack/testing";
import { createRequest } from "./support/requests-api.js";
import { acceptWhileSubscribed, wardTeam, type WardTeam } from "./support/ward-team.js";

const stack = testStack();

let team: WardTeam;

beforeAll(async () => {
  team = await wardTeam();
  await createRequest(team.fixture, team.nurse);
});

const SUBGRAPH_SECONDS = "asky_gateway_subgraph_request_duration_seconds";
const FANOUT_SECONDS = "asky_gateway_subscription_fanout_duration_seconds";
const LAG_SECONDS = "asky_gateway_subscription_event_lag_seconds";

/** A board read that needs all three subgraphs: requests, then their requesters and cabinets. */
const BOARD = `{
  requests(first: 5) { edges { node { id status requester { fullName } dispenser { name } } } }
}`;

describe("gateway /metrics", () => {
  it("times every subgraph call, by subgraph and outcome", async () => {
    const before = await gatewayMetrics(stack.gatewayUrl);
    const { status, body } = await gql(BOARD, {}, { token: team.pharmacist });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const after = await gatewayMetrics(stack.gatewayUrl);

    expect(typeOf(after, SUBGRAPH_SECONDS)).toBe("histogram");
    for (const subgraph of ["requests", "users", "dispensers"]) {
      const ok = { subgraph, outcome: "ok" };
      const calls = sumOf(after, `${SUBGRAPH_SECONDS}_count`, ok) - sumOf(before, `${SUBGRAPH_SECONDS}_count`, ok);
      expect(calls, subgraph).toBeGreaterThanOrEqual(1);
      const seconds = sumOf(after, `${SUBGRAPH_SECONDS}_sum`, ok) - sumOf(before, `${SUBGRAPH_SECONDS}_sum`, ok);
      expect(seconds / calls, subgraph).toBeGreaterThan(0);
      expect(seconds / calls, subgraph).toBeLessThan(5);
      expect(sumOf(after, `${SUBGRAPH_SECONDS}_bucket`, { ...ok, le: "+Inf" })).toBe(
        sumOf(after, `${SUBGRAPH_SECONDS}_count`, ok),
      );
    }
    // Every call sent is timed once it has ended: the histogram counts what the counter counts.
    expect(sumOf(after, `${SUBGRAPH_SECONDS}_count`)).toBe(sumOf(after, "asky_gateway_subgraph_requests_total"));
  });

  it("times each subscription fan-out, and the lag from the change's commit to the subscriber's socket", async () => {
    let before = "";
    const { received, committed, delivered } = await acceptWhileSubscribed(stack.gatewayUrl, team, async () => {
      before = await gatewayMetrics(stack.gatewayUrl);
    });
    expect(received.errors).toEqual([]);

    const after = await eventually(async () => {
      const scrape = await gatewayMetrics(stack.gatewayUrl);
      return sumOf(scrape, `${LAG_SECONDS}_count`) > sumOf(before, `${LAG_SECONDS}_count`) ? scrape : null;
    }, 5_000);
    const delta = (name: string) => sumOf(after, name) - sumOf(before, name);
    expect(typeOf(after, FANOUT_SECONDS)).toBe("histogram");
    expect(typeOf(after, LAG_SECONDS)).toBe("histogram");
    expect(delta(`${FANOUT_SECONDS}_count`)).toBeGreaterThanOrEqual(1);
    expect(delta(`${LAG_SECONDS}_count`)).toBeGreaterThanOrEqual(1);
    const fanout = delta(`${FANOUT_SECONDS}_sum`) / delta(`${FANOUT_SECONDS}_count`);
    const lag = delta(`${LAG_SECONDS}_sum`) / delta(`${LAG_SECONDS}_count`);
    expect(fanout).toBeGreaterThan(0);
    // The lag includes the payload's resolution, and cannot exceed what the test itself saw.
    expect(lag).toBeGreaterThanOrEqual(fanout - 0.05);
    expect(lag).toBeLessThan((delivered - committed) / 1_000 + 1);
    // The counters the benchmarks divide, still there alongside.
    expect(delta("asky_gateway_subscription_payload_executions_total")).toBeGreaterThanOrEqual(1);
    expect(delta("asky_gateway_subscription_event_to_fanout_seconds_total")).toBeGreaterThan(0);
  });

  it("keeps every figure it served before, under the same names, types and labels", async () => {
    // One refusal, so that the refusal counter has a series (counters by reason start at their first).
    expect((await gql("{ me { id } }", {}, { token: "not-a-token" })).status).toBe(401);
    const scrape = await gatewayMetrics(stack.gatewayUrl);
    const names = new Set(samplesOf(scrape).map((sample) => sample.name));
    const expected: Record<string, "counter" | "gauge"> = {
      asky_gateway_subgraph_requests_total: "counter",
      asky_gateway_subgraph_requests_shared_total: "counter",
      asky_gateway_subscription_payload_executions_total: "counter",
      asky_gateway_subscription_payload_seconds_total: "counter",
      asky_gateway_subscription_event_to_fanout_seconds_total: "counter",
      asky_gateway_active_subscriptions: "gauge",
      asky_gateway_active_websockets: "gauge",
      asky_gateway_replicas: "gauge",
      asky_gateway_refused_requests_total: "counter",
      asky_gateway_revocation_feed_current: "gauge",
      asky_gateway_revocation_feed_age_seconds: "gauge",
      asky_gateway_event_feed_current: "gauge",
      asky_gateway_session_checks_total: "counter",
      process_resident_memory_bytes: "gauge",
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(names.has(name), name).toBe(true);
      expect(typeOf(scrape, name), name).toBe(type);
    }
    // Labels as before: the subgraph of each call, the reason of each refusal, the outcome of each check.
    const subgraphs = samplesOf(scrape).filter((sample) => sample.name === "asky_gateway_subgraph_requests_total");
    // Those this run has called so far: the three behind a board, and no name but a subgraph's.
    const labelled = subgraphs.map((sample) => sample.labels.subgraph);
    expect(labelled).toEqual(expect.arrayContaining(["dispensers", "requests", "users"]));
    expect(labelled.every((name) => (subgraphNames as readonly string[]).includes(name ?? ""))).toBe(true);
    expect(sumOf(scrape, "asky_gateway_refused_requests_total", { reason: "UNAUTHENTICATED" })).toBeGreaterThan(0);
    expect(scrape).toMatch(/^asky_gateway_session_checks_total\{outcome="active"\} \d+$/m);
    // Unlabelled gauges as plain lines, as the tests and benchmarks read them.
    expect(scrape).toMatch(/^asky_gateway_active_subscriptions -?\d+$/m);
    expect(scrape).toMatch(/^asky_gateway_replicas \d+$/m);
    expect(scrape).toMatch(/^process_resident_memory_bytes \d+$/m);
    // The stack's gateway hears NATS and has proven its revocation feed within its bound (1.5 s).
    expect(sumOf(scrape, "asky_gateway_revocation_feed_current")).toBe(1);
    const age = sumOf(scrape, "asky_gateway_revocation_feed_age_seconds");
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(1.5);
  });

  it("answers 404 to a scrape without the right token, and the figures to one with it", async () => {
    const url = new URL("/metrics", stack.gatewayUrl);
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${stack.metricsToken}x`, stack.metricsToken]) {
      const response = await fetch(url, authorization === undefined ? {} : { headers: { authorization } });
      expect(response.status, authorization ?? "no authorization").toBe(404);
      expect(await response.text()).not.toMatch(/asky_gateway_/);
    }
    const response = await fetch(url, { headers: { authorization: `Bearer ${stack.metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/^asky_gateway_subgraph_requests_total\{subgraph="users"\} \d+$/m);
  });
});
