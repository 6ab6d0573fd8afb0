/**
 * deploy/observability checked without a stack: the Grafana dashboard and the Prometheus alert
 * rules are well formed and every PromQL expression in them reads (with the small lexer of
 * support/promql.ts, itself tested here, as is the reader of Prometheus' text format), the scrape configs reach every service of the
 * service registry with the metrics token, where docker-compose.yml and the Kubernetes
 * manifests run it, and the NetworkPolicies let Prometheus in and the traces out.
 * tests/observability-as-code.test.ts checks the metric names against real scrapes.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { serviceRegistry } from "@asky/contracts";
import { allows, type Pod } from "./support/network-policy.js";
import { overlays, renderOverlay, type Rendered } from "./support/manifests.js";
import { serviceIds, serviceWorkload } from "./support/asky-workloads.js";
import { baseName, parseExposition, samplesOf, servedBy, sumOf, typeOf } from "@asky/stack/testing/prometheus-text";
import {
  alertExpressions,
  alertRuleProblems,
  dashboardExpressions,
  dashboardProblems,
  externalMetrics,
  kubernetesScrapePath,
  loadAlertRules,
  loadDashboard,
  referencedMetrics,
  scrapePath,
} from "./support/observability-files.js";
import { metricNamesOf, readPromql } from "./support/promql.js";

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  authorization?: { type?: string; credentials_file?: string; credentials?: string };
  bearer_token_file?: string;
  bearer_token?: string;
  static_configs?: { targets: string[] }[];
  kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[];
  relabel_configs?: {
    source_labels?: string[];
    regex?: string;
    action?: string;
    target_label?: string;
    replacement?: string;
  }[];
}
const scrapeConfigs = (path: string) =>
  (parse(readFileSync(path, "utf8")) as { scrape_configs: ScrapeConfig[] }).scrape_configs;

/** The job names the dashboard and the alerts select (`job=~"asky-.+"`). */
const jobOf = (id: string) => `asky-${id}`;

describe("the PromQL lexer", () => {
  it("finds the metric names and nothing else", () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.99, sum by (job, le) (rate(http_server_request_duration_seconds_bucket{job=~"$job", http_route="/graphql"}[$__rate_interval]))) > 1',
      ),
    ).toEqual(["http_server_request_duration_seconds_bucket"]);
    expect(
      metricNamesOf(
        "sum(rate(a_total[5m] offset 1h)) by (instance) / on (instance) group_left (pool) b{x!~'y'} unless c and bool d or e @ start()",
      ),
    ).toEqual(["a_total", "b", "c", "d", "e"]);
    expect(metricNamesOf('{__name__="by_name", job="x"} + max_over_time(rate(f[5m])[30m:1m]) * -Inf')).toEqual([
      "by_name",
      "f",
    ]);
    expect(
      metricNamesOf('count without (le) (g) > bool 0x1F and label_replace(h, "dst", "$1", \'src\', "(.*)")'),
    ).toEqual(["g", "h"]);
    // Grafana variables anywhere, and label names that look like functions or metrics.
    expect(metricNamesOf('sum by (rate, sum) (i{rate="1", sum=~"${job:regex}"}) > $threshold')).toEqual(["i"]);
  });

  it("tells each selector's matcher labels and the labels the expression groups on", () => {
    expect(
      readPromql('sum by (pool) (a{x="1", y=~"2"}) / on (instance) group_left b + {__name__="c", z!="3"}'),
    ).toEqual({
      selectors: [
        { metric: "a", labels: ["x", "y"] },
        { metric: "b", labels: [] },
        { metric: "c", labels: ["z"] },
      ],
      grouping: ["pool", "instance"],
    });
  });

  it("refuses what would hide a wrong name: unknown functions, unbalanced brackets, names in ranges", () => {
    expect(() => metricNamesOf("hisogram_quantile(0.9, x)")).toThrow(/unknown function "hisogram_quantile"/);
    expect(() => metricNamesOf("sum(rate(x[5m])")).toThrow(/unclosed/);
    expect(() => metricNamesOf("rate(x[5m]))")).toThrow(/unbalanced/);
    expect(() => metricNamesOf("rate(x[y])")).toThrow(/inside a range/);
    expect(() => metricNamesOf('x{job="a"')).toThrow(/unclosed/);
    expect(() => metricNamesOf("sum by job (x)")).toThrow(/label list/);
  });

  it("reads Prometheus' text format, telling histograms' series from same-named counters", () => {
    const scrape = [
      "# HELP h_seconds A histogram",
      "# TYPE h_seconds histogram",
      'h_seconds_count{a="1"} 2',
      'h_seconds_sum{a="1"} 0.5',
      'h_seconds_bucket{a="1",le="+Inf",q="x}\\"y"} 2',
      'h_seconds_count{a="2"} 3 1700000000000',
      "# TYPE jobs_count gauge",
      "jobs_count 3",
      "# TYPE c_total counter",
      "c_total 1",
      "# TYPE empty_seconds histogram",
    ].join("\n");
    const exposition = parseExposition(scrape);
    expect(servedBy("h_seconds_bucket", exposition)).toBe(true);
    expect(servedBy("h_seconds_count", exposition)).toBe(true);
    expect(servedBy("h_seconds", exposition)).toBe(false);
    expect(servedBy("jobs_count", exposition)).toBe(true);
    expect(servedBy("c_total", exposition)).toBe(true);
    expect(servedBy("c", exposition)).toBe(false);
    expect(servedBy("empty_seconds_bucket", exposition)).toBe(false);
    expect(baseName("h_seconds_bucket")).toBe("h_seconds");
    expect([...(exposition.labels.get("h_seconds_bucket") ?? [])]).toEqual(["a", "le", "q"]);
    expect([...(exposition.labels.get("jobs_count") ?? [])]).toEqual([]);
    // Samples with their labels (unescaped) and values, their sums and the families' types.
    expect(samplesOf(scrape).find((sample) => sample.name === "h_seconds_bucket")).toEqual({
      name: "h_seconds_bucket",
      labels: { a: "1", le: "+Inf", q: 'x}"y' },
      value: 2,
    });
    expect(sumOf(scrape, "h_seconds_count")).toBe(5);
    expect(sumOf(scrape, "h_seconds_count", { a: "2" })).toBe(3);
    expect(sumOf(scrape, "h_seconds_bucket", { le: "+Inf" })).toBe(2);
    expect(sumOf(scrape, "absent_total")).toBe(0);
    expect(typeOf(scrape, "h_seconds")).toBe("histogram");
    expect(typeOf(scrape, "jobs_count")).toBe("gauge");
    expect(typeOf(scrape, "h_seconds_count")).toBeUndefined();
  });
});

describe("deploy/observability/grafana-dashboard.json", () => {
  const dashboard = loadDashboard();

  it("has unique panel ids, a query in every panel and the ${DS_PROMETHEUS} datasource everywhere", () => {
    expect(dashboardProblems(dashboard)).toEqual([]);
    expect(dashboard.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  });

  it("holds PromQL that reads, each expression naming a metric", () => {
    const expressions = dashboardExpressions(dashboard);
    expect(expressions.length).toBeGreaterThan(20);
    for (const { where, expr } of expressions) expect(metricNamesOf(expr), where).not.toEqual([]);
  });
});

describe("deploy/observability/prometheus-alerts.yml", () => {
  const rules = loadAlertRules();

  it("is Prometheus rule groups: unique names, for:, a severity, a summary, a description and a runbook", () => {
    expect(alertRuleProblems(rules)).toEqual([]);
  });

  it("holds PromQL that reads, each expression naming a metric and comparing it to a threshold", () => {
    for (const { where, expr } of alertExpressions(rules)) {
      expect(metricNamesOf(expr), where).not.toEqual([]);
      expect(expr, where).toMatch(/(>|<|==|!=|>=|<=)\s*-?[0-9.]+\s*$/);
    }
  });

  it("alerts on what the issue names: latency, errors, relay and consumer lag, the security feed, crash loops", () => {
    const alerts = (rules.groups ?? []).flatMap((group) => group.rules ?? []);
    const names = alerts.map((rule) => rule.alert);
    for (const name of [
      "AskyGraphQLLatencyHigh",
      "AskyGraphQLServerErrors",
      "AskySubgraphFetchLatencyHigh",
      "AskyOutboxRelayLagHigh",
      "AskyOutboxUnpublishedTooOld",
      "AskyOutboxBacklogGrowing",
      "AskyConsumerPendingHigh",
      "AskyConsumerRedeliveries",
      "AskyRevocationFeedStale",
      "AskyEventFeedStale",
      "AskyCrashLooping",
      "AskyDbPoolWaiting",
      "AskyEventLoopDelayHigh",
    ]) {
      expect(names).toContain(name);
    }
    const revocation = alerts.find((rule) => rule.alert === "AskyRevocationFeedStale");
    expect(revocation?.labels?.severity).toBe("critical");
    expect(revocation?.for).toBe("1m");
    expect(revocation?.annotations?.description).toMatch(/fail/i);
  });
});

describe("the metrics the dashboard and the alerts name", () => {
  const referenced = referencedMetrics();

  it("are well-formed names; the external ones are exactly those listed, and each is used", () => {
    for (const name of referenced.keys()) expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
    const askyOwn = /^(asky_|http_server_|process_|nodejs_)/;
    const external = [...referenced.keys()].filter((name) => !askyOwn.test(name)).sort();
    expect(external).toEqual(Object.keys(externalMetrics).sort());
  });
});

describe("deploy/observability/prometheus-scrape.yml (docker-compose.yml)", () => {
  const configs = scrapeConfigs(scrapePath);
  const compose = parse(readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"), {
    merge: true,
  }) as { services: Record<string, { environment?: Record<string, string> }> };

  it.each(serviceIds)("scrapes %s on its compose host and port with the bearer token", (id) => {
    const job = configs.find((config) => config.job_name === jobOf(id));
    expect(job, jobOf(id)).toBeDefined();
    expect(job!.metrics_path ?? "/metrics").toBe("/metrics");
    expect(job!.authorization?.type ?? "Bearer").toBe("Bearer");
    expect(job!.authorization?.credentials_file).toMatch(/^\//);
    expect(job!.authorization?.credentials).toBeUndefined();
    const targets = job!.static_configs?.flatMap((config) => config.targets) ?? [];
    expect(targets).toEqual([`${id}:${serviceRegistry[id].defaultPort}`]);
    expect(compose.services[id]?.environment?.PORT).toBe(String(serviceRegistry[id].defaultPort));
    expect(compose.services[id]?.environment).toHaveProperty("METRICS_TOKEN");
  });

  it("has one job per service and no other, all with the same token file", () => {
    expect(configs.map((config) => config.job_name).sort()).toEqual(serviceIds.map(jobOf).sort());
    expect(new Set(configs.map((config) => config.authorization?.credentials_file)).size).toBe(1);
  });
});

describe("deploy/observability/prometheus-scrape-kubernetes.yml", () => {
  const [job, ...others] = scrapeConfigs(kubernetesScrapePath);
  const relabel = job?.relabel_configs ?? [];
  const keep = (label: string) =>
    relabel.find((rule) => rule.action === "keep" && rule.source_labels?.join(";") === label)?.regex;
  let rendered: Rendered;
  beforeAll(async () => {
    rendered = await renderOverlay("production");
  }, 300_000);

  it("is one job over the pods of the namespace the manifests use, with the token from a mounted Secret", () => {
    expect(others).toEqual([]);
    expect(job?.kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["asky"] } }]);
    expect(rendered.objects.find((object) => object.kind === "Namespace")?.metadata.name).toBe("asky");
    expect(job?.authorization?.credentials_file).toBe("/etc/prometheus/secrets/asky-metrics/token");
    expect(job?.bearer_token).toBeUndefined();
  });

  it("keeps exactly the Asky services' pods, on the port the Deployments name http, and names the job asky-<component>", () => {
    const components = new RegExp(`^(?:${keep("__meta_kubernetes_pod_label_app_kubernetes_io_component")})$`);
    expect(keep("__meta_kubernetes_pod_label_app_kubernetes_io_name")).toBe("asky");
    for (const id of serviceIds) {
      const workload = serviceWorkload(rendered, id);
      const labels = workload.template.metadata?.labels ?? {};
      expect(labels["app.kubernetes.io/name"]).toBe("asky");
      expect(labels["app.kubernetes.io/component"]).toMatch(components);
      expect(workload.container.ports?.map((port) => port.name)).toEqual([
        keep("__meta_kubernetes_pod_container_port_name"),
      ]);
      // The same token as the service's METRICS_TOKEN.
      expect(workload.env.get("METRICS_TOKEN")?.source).toEqual({ kind: "secret", name: "asky-metrics", key: "token" });
    }
    for (const other of ["database-setup", "nats", "postgres"]) expect(other).not.toMatch(components);
    const jobRule = relabel.find((rule) => rule.target_label === "job");
    expect(jobRule?.source_labels).toEqual(["__meta_kubernetes_pod_label_app_kubernetes_io_component"]);
    expect(jobRule?.replacement).toBe("asky-$1");
  });
});

describe.each(overlays)("NetworkPolicies of overlay %s, for the telemetry", (overlay) => {
  let rendered: Rendered;
  beforeAll(async () => {
    rendered = await renderOverlay(overlay);
  }, 300_000);

  const monitoring = { "kubernetes.io/metadata.name": "monitoring" };
  const prometheus: Pod = {
    name: "Prometheus",
    namespace: "monitoring",
    labels: { "app.kubernetes.io/name": "prometheus" },
    namespaceLabels: monitoring,
    ports: { web: 9090 },
  };
  const collector: Pod = {
    name: "OpenTelemetry collector",
    namespace: "monitoring",
    labels: { "app.kubernetes.io/name": "opentelemetry-collector" },
    namespaceLabels: monitoring,
    ports: { "otlp-http": 4318, "otlp-grpc": 4317 },
  };
  const podOf = (id: string): Pod => {
    const workload = serviceWorkload(rendered, id as (typeof serviceIds)[number]);
    return {
      name: id,
      namespace: "asky",
      labels: workload.template.metadata?.labels ?? {},
      namespaceLabels: { "kubernetes.io/metadata.name": "asky" },
      ports: { http: serviceRegistry[id as (typeof serviceIds)[number]].defaultPort },
    };
  };

  it.each(serviceIds)(
    "lets Prometheus scrape %s on its port, and that service export OTLP/HTTP to the collector",
    (id) => {
      const pod = podOf(id);
      expect(allows(rendered.networkPolicies, prometheus, pod, serviceRegistry[id].defaultPort)).toBe(true);
      expect(allows(rendered.networkPolicies, pod, collector, 4318)).toBe(true);
      // Nothing more: not the collector's gRPC port, and Prometheus no other port.
      expect(allows(rendered.networkPolicies, pod, collector, 4317)).toBe(false);
      expect(allows(rendered.networkPolicies, prometheus, pod, 5432)).toBe(false);
    },
  );

  it("lets no other pod of the monitoring namespace reach the subgraphs", () => {
    const stranger: Pod = { ...prometheus, name: "another monitoring pod", labels: { "app.kubernetes.io/name": "x" } };
    for (const id of serviceIds.filter((candidate) => candidate !== "gateway")) {
      expect(allows(rendered.networkPolicies, stranger, podOf(id), serviceRegistry[id].defaultPort), id).toBe(false);
    }
  });
});
