/**
 * Dashboards and alerts as code, against the real stack: every metric that
 * deploy/observability/grafana-dashboard.json and prometheus-alerts.yml name is served by at
 * least one of the four services, on GET /metrics with the metrics token, after a little
 * traffic that touches each figure (a sign-in, a federated query, a failing query, a
 * createRequest, a status change delivered to a live subscriber and handled by a durable
 * consumer). Only the metrics support/observability-files.ts lists as external (`up`, from
 * Prometheus; kube-state-metrics') are exempt. The labels the expressions filter and group on
 * must be on those metrics too: a renamed label empties a panel as surely as a renamed metric.
 *
 * The files' structure and their PromQL's syntax are checked without a stack by
 * tests/unit/observability-files.test.ts; they are loaded here with the same checks.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceId } from "@asky/contracts";
import {
  asGateway,
  baseName,
  changeStatus,
  createRequest,
  demoToken,
  fixtureFor,
  gql,
  login,
  parseExposition,
  servedBy,
  testStack,
  type Exposition,
} from "@asky/stack/testing";
import {
  alertExpressions,
  alertRuleProblems,
  dashboardExpressions,
  dashboardProblems,
  externalMetrics,
  loadAlertRules,
  loadDashboard,
  type Expression,
} from "./unit/support/observability-files.js";
import { readPromql } from "./unit/support/promql.js";

const stack = testStack();

/** GET /metrics of each service, as Prometheus scrapes it (prometheus-scrape.yml). */
const metricsUrls: Record<ServiceId, string> = {
  gateway: new URL("/metrics", stack.gatewayUrl).toString(),
  users: new URL("/metrics", stack.subgraphUrls.users).toString(),
  dispensers: new URL("/metrics", stack.subgraphUrls.dispensers).toString(),
  requests: new URL("/metrics", stack.subgraphUrls.requests).toString(),
  reports: new URL("/metrics", stack.subgraphUrls.reports).toString(),
};
const services = Object.keys(metricsUrls) as ServiceId[];

async function scrape(service: ServiceId, token: string | null = stack.metricsToken): Promise<Response> {
  return fetch(metricsUrls[service], { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

async function scrapeAll(): Promise<Record<ServiceId, Exposition>> {
  const texts = await Promise.all(
    services.map(async (service) => {
      const response = await scrape(service);
      expect(response.status, `GET ${metricsUrls[service]}`).toBe(200);
      return [service, parseExposition(await response.text())] as const;
    }),
  );
  return Object.fromEntries(texts) as Record<ServiceId, Exposition>;
}

/** Labels Prometheus adds to every series at the scrape, and histograms' bucket bound. */
const scrapeLabels = new Set(["job", "instance", "namespace", "pod", "le"]);

interface Finding {
  readonly missing: string[];
  readonly missingLabels: string[];
}

/** What the expressions name that no scrape serves. */
function check(expressions: readonly Expression[], scrapes: Record<ServiceId, Exposition>): Finding {
  const missing = new Map<string, Set<string>>();
  const missingLabels = new Map<string, Set<string>>();
  const servers = (name: string) => services.filter((service) => servedBy(name, scrapes[service]));
  for (const { where, expr } of expressions) {
    const reading = readPromql(expr);
    const ownLabels = new Set<string>();
    for (const { metric, labels } of reading.selectors) {
      if (metric in externalMetrics) continue;
      const servedAt = servers(metric);
      if (servedAt.length === 0) {
        missing.set(metric, (missing.get(metric) ?? new Set()).add(where));
        continue;
      }
      const present = new Set(servedAt.flatMap((service) => [...(scrapes[service].labels.get(metric) ?? [])]));
      for (const label of present) ownLabels.add(label);
      for (const label of labels.filter((candidate) => !scrapeLabels.has(candidate) && !present.has(candidate))) {
        const key = `${metric}{${label}}`;
        missingLabels.set(key, (missingLabels.get(key) ?? new Set()).add(where));
      }
    }
    // Grouping labels must be on at least one of the expression's own metrics (when all are served).
    const allServed = reading.selectors.every(({ metric }) => metric in externalMetrics || servers(metric).length > 0);
    const local = reading.selectors.every(({ metric }) => !(metric in externalMetrics));
    if (!allServed || !local) continue;
    for (const label of reading.grouping.filter(
      (candidate) => !scrapeLabels.has(candidate) && !ownLabels.has(candidate),
    )) {
      const key = `by (${label}) over ${reading.selectors.map(({ metric }) => metric).join(", ")}`;
      missingLabels.set(key, (missingLabels.get(key) ?? new Set()).add(where));
    }
  }
  const list = (entries: Map<string, Set<string>>, name: (key: string) => string) =>
    [...entries].map(([key, wheres]) => `${name(key)}: ${[...wheres].join("; ")}`);
  return {
    // A histogram's series are reported by the histogram's name.
    missing: list(missing, (metric) => (baseName(metric) === metric ? metric : `${baseName(metric)} (${metric})`)),
    missingLabels: list(missingLabels, (key) => key),
  };
}

// ---------------------------------------------------------------------------------------------
// Traffic that touches every figure.

interface StatusEvent {
  requestStatusChanged: { status: string };
}

let socket: Client | null = null;
let receiver: Server | null = null;
let webhookId: string | null = null;

afterAll(async () => {
  await socket?.dispose();
  if (webhookId !== null)
    await asGateway("admin@asky.dev").ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhookId });
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

/**
 * A webhook on status changes with a receiver on 127.0.0.1 (the test stack's
 * WEBHOOK_ALLOWED_HOSTS), so the reports service makes a delivery attempt (its attempts counter).
 */
async function registerWebhook(): Promise<void> {
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  const server = receiver;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const { createWebhook } = await asGateway("admin@asky.dev").ok<{ createWebhook: { webhook: { id: string } } }>(
    `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`,
    { input: { url: `http://127.0.0.1:${port}/hook`, events: ["REQUEST_STATUS_CHANGED"] } },
  );
  webhookId = createWebhook.webhook.id;
}

async function activeSubscriptions(): Promise<number> {
  const text = await (await scrape("gateway")).text();
  return [...text.matchAll(/^asky_gateway_active_subscriptions(?:\{[^}]*\})? (\S+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

async function generateTraffic(): Promise<void> {
  // A sign-in (users), and the demo sessions the rest uses.
  await login("nurse@asky.dev", "asky-demo-2026");
  const [nurse, pharmacist] = await Promise.all([demoToken("nurse@asky.dev"), demoToken("pharmacist@asky.dev")]);
  // A federated query (dispensers), and one that fails validation (an error_type).
  const fixture = await fixtureFor("UTI-ADULTO", nurse);
  const { body } = await gql(`query ObservabilityBroken { me { noSuchField } }`, {}, { token: nurse });
  expect(body.errors?.length).toBeGreaterThan(0);
  await gql(`query ObservabilityMe { me { id requests(first: 1) { totalCount } } }`, {}, { token: nurse });

  // A change (requests, its outbox and relay), watched by a live subscriber (the gateway's
  // sockets, fan-out and event lag), moved on by the pharmacy (a status_changed event, which
  // the dispensers service's durable consumer handles, and the reports service sends to a webhook).
  await registerWebhook();
  const request = await createRequest(fixture, nurse);
  const received: StatusEvent[] = [];
  const errors: unknown[] = [];
  socket = createClient({
    url: stack.gatewayUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: (error) => errors.push(error),
    connectionParams: { authorization: `Bearer ${nurse}` },
  });
  const before = await activeSubscriptions();
  socket.subscribe<StatusEvent>(
    {
      query: `subscription ObservabilityStatus($id: ID!) { requestStatusChanged(requestId: $id) { status } }`,
      variables: { id: request.id },
    },
    {
      next: (value) => {
        if (value.data) received.push(value.data as StatusEvent);
        if (value.errors) errors.push(...value.errors);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  // The subscription is open once the gateway counts it (or, should that gauge be renamed, soon).
  const opened = Date.now() + 5_000;
  while (Date.now() < opened && (await activeSubscriptions()) <= before) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await changeStatus(request, "ACCEPTED", pharmacist);
  const deadline = Date.now() + 20_000;
  while (!received.some((event) => event.requestStatusChanged.status === "ACCEPTED")) {
    if (Date.now() > deadline)
      throw new Error(`the subscriber got no ACCEPTED: ${JSON.stringify({ received, errors })}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("deploy/observability against the services' /metrics", () => {
  const expressions = [...dashboardExpressions(loadDashboard()), ...alertExpressions(loadAlertRules())];

  beforeAll(async () => {
    await generateTraffic();
  }, 60_000);

  it("are well-formed files (unique panel ids, rule groups with for/severity/summary/runbook)", () => {
    expect(dashboardProblems(loadDashboard())).toEqual([]);
    expect(alertRuleProblems(loadAlertRules())).toEqual([]);
    expect(expressions.length).toBeGreaterThan(30);
  });

  it("serves /metrics on every service to the token only: 404 without it or with another", async () => {
    for (const service of services) {
      expect((await scrape(service, null)).status, `${service} without a token`).toBe(404);
      expect((await scrape(service, `${stack.metricsToken}x`)).status, `${service} with another token`).toBe(404);
      expect((await scrape(service)).status, `${service} with the token`).toBe(200);
    }
  });

  it("name only metrics (and labels) some service serves", async () => {
    // Gauges read at collection and the consumers' and relay's figures appear within moments
    // of the traffic: scrape again until everything is there, or report what never was.
    let finding: Finding = { missing: ["(not scraped yet)"], missingLabels: [] };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      finding = check(expressions, await scrapeAll());
      if (finding.missing.length === 0 && finding.missingLabels.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // Metrics named by deploy/observability that no service serves, and labels those metrics do not carry.
    expect({ metrics: finding.missing, labels: finding.missingLabels }).toEqual({ metrics: [], labels: [] });
  }, 60_000);
});
