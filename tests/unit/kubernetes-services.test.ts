/**
 * deploy/kubernetes's Deployments, each overlay rendered with `kubectl kustomize`, compared with the
 * env specs and the service registry: bundle, variables, OpenTelemetry, Secrets, ports, probes, the
 * URLs of the services each calls, disruption budget and autoscaler. A variable added to a spec, or
 * removed from a manifest, fails here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { commonEnv, LIVENESS_WINDOW_MS, loadConfig } from "@asky/runtime";
import { serviceRegistry } from "@asky/contracts";
import { readTelemetrySettings } from "@asky/telemetry";
import { knownValues } from "./support/container-env.js";
import { labelsMatch, overlays, renderOverlay, type Rendered } from "./support/manifests.js";
import {
  envSpecs,
  known,
  serviceIds,
  serviceWorkload,
  openTelemetryVariables,
  variablesOf,
  type AskyWorkload,
} from "./support/asky-workloads.js";
import {
  bundles,
  checkEnvAgainstSpec,
  healthPath,
  livenessPath,
  secretVariables,
} from "./support/kubernetes-checks.js";

describe.each(overlays)("overlay %s", (overlay) => {
  let rendered: Rendered;
  beforeAll(async () => {
    rendered = await renderOverlay(overlay);
  }, 300_000);

  describe.each(serviceIds)("service %s", (id) => {
    const spec = envSpecs[id];
    const port = serviceRegistry[id].defaultPort;
    let workload: AskyWorkload;
    beforeAll(() => {
      workload = serviceWorkload(rendered, id);
    });

    it("runs its bundle of the build", () => {
      expect(bundles).toContain(`${id}.js`);
      expect(workload.container.command).toEqual(["node", `${id}.js`]);
      expect(workload.container.args).toBeUndefined();
    });

    it("sets every variable its env spec reads, and no other but the standard OTEL_* ones", () => {
      checkEnvAgainstSpec(workload, variablesOf(spec), `asky-${id}`, openTelemetryVariables);
    });

    it(`names itself asky-${id} to OpenTelemetry, and traces nothing until an OTLP endpoint is set`, () => {
      const otel = [...workload.env.values()].filter((entry) => entry.name.startsWith("OTEL_"));
      for (const entry of otel) {
        // Collector credentials (OTEL_EXPORTER_OTLP_HEADERS) would come from a Secret; the rest is configuration.
        expect(["literal", "configMap", "secret"], entry.name).toContain(entry.source.kind);
      }
      expect(workload.env.get("OTEL_SERVICE_NAME")?.source.kind).toBe("literal");
      const settings = readTelemetrySettings(knownValues(workload.env), `unnamed-${id}`);
      expect(settings.serviceName).toBe(`asky-${id}`);
      expect(known(workload.env, "OTEL_EXPORTER_OTLP_ENDPOINT")).toBe("");
      expect(settings.traces).toBeNull();
      expect(settings.otlpMetrics).toBeNull();
      // The same settings with an endpoint: what an operator gets by setting only that.
      const enabled = readTelemetrySettings(
        { ...knownValues(workload.env), OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector.monitoring:4318" },
        `unnamed-${id}`,
      );
      expect(enabled.traces?.protocol).toBe("http/protobuf");
    });

    it("sets values its env spec accepts", () => {
      for (const variable of Object.values(spec)) {
        const entry = workload.env.get(variable.name);
        if (entry?.value === undefined) continue; // a Secret created outside the manifests
        expect(() => variable.parse(entry.value), variable.name).not.toThrow();
      }
      if ([...workload.env.values()].every((entry) => entry.value !== undefined)) {
        expect(() => loadConfig(spec, knownValues(workload.env))).not.toThrow();
      }
    });

    it("takes its keys and tokens from Secrets", () => {
      const fromSecrets = variablesOf(spec).filter((name) => secretVariables.test(name));
      expect(fromSecrets).toContain("SIGNING_JWKS");
      for (const name of fromSecrets) expect(workload.env.get(name)?.source.kind, name).toBe("secret");
    });

    it(`listens on its registry port (${port}) behind a Service of that port`, () => {
      expect(Number(known(workload.env, "PORT"))).toBe(port);
      expect(known(workload.env, "HOST")).toBe("0.0.0.0");
      expect(workload.container.ports).toEqual([{ name: "http", containerPort: port, protocol: "TCP" }]);
      const service = rendered.services.find((candidate) => candidate.metadata?.name === `asky-${id}`);
      expect(labelsMatch(service?.spec?.selector, workload.template.metadata?.labels)).toBe(true);
      expect(service?.spec?.ports).toEqual([{ name: "http", port, targetPort: "http", protocol: "TCP" }]);
    });

    it(`is ready while ${healthPath} answers, started and alive while ${livenessPath} does, on port ${port}`, () => {
      const { readinessProbe, livenessProbe, startupProbe, ports } = workload.container;
      const portNumber = (named: number | string | undefined) =>
        typeof named === "string" ? ports?.find((candidate) => candidate.name === named)?.containerPort : named;
      // /health fails with a dependency (Postgres, a subgraph): restarting for it helps nothing.
      expect(livenessPath).not.toBe(healthPath);
      expect(readinessProbe?.httpGet).toEqual({ path: healthPath, port: "http" });
      expect(portNumber(readinessProbe?.httpGet?.port)).toBe(port);
      for (const [kind, probe] of [
        ["liveness", livenessProbe],
        ["startup", startupProbe],
      ] as const) {
        expect(probe?.httpGet, kind).toEqual({ path: livenessPath, port: "http" });
        expect(portNumber(probe?.httpGet?.port), kind).toBe(port);
        expect(probe?.tcpSocket, kind).toBeUndefined();
        expect(probe?.exec, kind).toBeUndefined();
      }
      // A block of the event loop between two liveness probes is still in /livez's window at the next.
      expect((livenessProbe?.periodSeconds ?? 10) * 1_000).toBeLessThanOrEqual(LIVENESS_WINDOW_MS);
      // The probe waits as long as /livez lets the loop block: a shorter block fails it by neither.
      const variable = commonEnv.livenessMaxEventLoopDelayMs;
      const bound = variable.parse(known(workload.env, variable.name));
      expect(bound).toBeGreaterThan(0);
      expect((livenessProbe?.timeoutSeconds ?? 1) * 1_000).toBeGreaterThanOrEqual(bound);
    });

    it("reaches the services it calls at their Services and registry ports", () => {
      for (const target of serviceIds) {
        const variable = serviceRegistry[target].urlEnvVar;
        if (variable === null || !variablesOf(spec).includes(variable)) continue;
        expect(known(workload.env, variable), variable).toBe(
          `http://asky-${target}:${serviceRegistry[target].defaultPort}/graphql`,
        );
      }
    });

    it("has a PodDisruptionBudget and a HorizontalPodAutoscaler, which owns its replica count", () => {
      const name = `asky-${id}`;
      const labels = workload.template.metadata?.labels;
      const budget = rendered.disruptionBudgets.find((candidate) => candidate.metadata?.name === name);
      expect(labelsMatch(budget?.spec?.selector?.matchLabels, labels)).toBe(true);
      expect(budget?.spec?.maxUnavailable).toBe(1);
      const autoscaler = rendered.autoscalers.find((candidate) => candidate.spec?.scaleTargetRef.name === name);
      expect(autoscaler?.spec?.scaleTargetRef.kind).toBe("Deployment");
      const min = autoscaler?.spec?.minReplicas ?? 0;
      expect(min).toBeGreaterThanOrEqual(overlay === "production" ? 2 : 1);
      expect(autoscaler?.spec?.maxReplicas).toBeGreaterThanOrEqual(min);
      expect(rendered.deployments.find((deployment) => deployment.metadata?.name === name)?.spec?.replicas).toBe(
        undefined,
      );
    });
  });
});
