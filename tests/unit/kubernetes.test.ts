/**
 * deploy/kubernetes checked against the code without a cluster: each overlay is rendered
 * with `kubectl kustomize`, every object is validated against its Kubernetes (or
 * CloudNativePG) schema, and the Deployments and the setup Job are compared with the env
 * specs and the service registry, as compose.test.ts does for docker-compose.yml. A variable
 * added to a spec, or removed from a manifest, fails here.
 */
import { readFileSync, existsSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { commonEnv, LIVENESS_PATH, LIVENESS_WINDOW_MS, loadConfig } from "@asky/runtime";
import { serviceRegistry, subgraphNames } from "@asky/contracts";
import { serviceRole } from "@asky/db";
import { healthUrlOf } from "@asky/gateway/subgraphs";
import { readTelemetrySettings } from "@asky/telemetry";
import { generateSecrets } from "../../deploy/kubernetes/generate-secrets.js";
import { buildEntries, runtimeAssets } from "../../scripts/build/runtime-assets.js";
import { containerEnv, dataOf, knownValues, type EnvEntry } from "./support/container-env.js";
import {
  containersOf,
  kubernetesRoot,
  labelsMatch,
  overlays,
  renderOverlay,
  type Rendered,
} from "./support/manifests.js";
import {
  envSpecs,
  known,
  serviceIds,
  serviceWorkload,
  setupDatabaseEnv,
  setupJobBaseName,
  setupWaitContainer,
  openTelemetryVariables,
  setupWorkload,
  variablesOf,
  type AskyWorkload,
} from "./support/asky-workloads.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The image's working directory, where the build's bundles and assets are (Dockerfile). */
const workdir = [...readFileSync(`${root}/Dockerfile`, "utf8").matchAll(/^WORKDIR\s+(\S+)/gm)].at(-1)?.[1] ?? "";
const bundles = buildEntries.map((entry) => `${entry.name}.js`);
/** Where each service serves its health: what the gateway itself polls next to a GraphQL URL. */
const healthPath = new URL(healthUrlOf("http://subgraph.invalid/graphql")).pathname;
/** The liveness route, as the HTTP host all four services run on mounts it (packages/runtime). */
const livenessPath = LIVENESS_PATH;
/** Variables that hold keys, tokens or passwords: never a literal in a manifest. */
const secretVariables = /(^SIGNING_JWKS$|^TRUSTED_JWKS$|^METRICS_TOKEN$|PASSWORD$)/;

function checkEnvAgainstSpec(workload: AskyWorkload, variables: string[], label: string, also: readonly string[] = []) {
  const set = [...workload.env.keys()];
  const missing = variables.filter((name) => !workload.env.has(name));
  expect(missing, `${label}: set these`).toEqual([]);
  // Helpers are allowed only as the parts a spec variable is built from ($(DB_PASSWORD)).
  const referenced = new Set([...workload.env.values()].flatMap((entry) => entry.references));
  const unread = set.filter((name) => !variables.includes(name) && !referenced.has(name) && !also.includes(name));
  expect(unread, `${label}: variables its env spec does not read`).toEqual([]);
}

/** The `$(VAR)` a URL's password is made of, and where that variable comes from. */
function passwordSource(env: ReadonlyMap<string, EnvEntry>, name: string): EnvEntry {
  const entry = env.get(name);
  const template = entry?.template ?? "";
  const password = /^postgres(?:ql)?:\/\/[^:]+:\$\(([A-Z_]+)\)@/.exec(template)?.[1];
  expect(password, `${name} takes its password from a variable: ${template}`).toBeDefined();
  const source = env.get(password!);
  expect(source?.source.kind, `${password} comes from a Secret`).toBe("secret");
  return source!;
}

describe.each(overlays)("overlay %s", (overlay) => {
  let rendered: Rendered;
  beforeAll(async () => {
    rendered = await renderOverlay(overlay);
  }, 300_000);

  it("renders with kubectl kustomize into objects their schemas accept", () => {
    const kinds = rendered.objects.map((object) => object.kind);
    for (const kind of ["Deployment", "Job", "StatefulSet", "Cluster", "NetworkPolicy", "Service"]) {
      expect(kinds, kind).toContain(kind);
    }
    const unplaced = rendered.objects.filter((object) => object.kind !== "Namespace" && !object.metadata.namespace);
    expect(unplaced.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual([]);
  });

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

  it("gives the gateway's users JWKS URL, the services' NATS and Postgres, names that exist", () => {
    const gateway = serviceWorkload(rendered, "gateway");
    expect(known(gateway.env, "USERS_JWKS_URL")).toBe(
      new URL("/.well-known/jwks.json", known(gateway.env, "USERS_URL")).toString(),
    );
    const cluster = rendered.postgresClusters[0]?.metadata?.name;
    for (const id of subgraphNames) {
      const url = new URL(serviceWorkload(rendered, id).env.get("DATABASE_URL")?.template ?? "");
      expect(url.hostname, id).toBe(`${cluster}-rw`);
      expect(url.port).toBe("5432");
    }
  });

  it("serves the supergraph the image holds", () => {
    const path = known(serviceWorkload(rendered, "gateway").env, "SUPERGRAPH_PATH");
    expect(workdir).toBe("/app");
    expect(posix.isAbsolute(path)).toBe(true);
    const relative = posix.relative(workdir, path);
    expect(runtimeAssets).toContain(relative);
    expect(existsSync(`${root}/${relative}`)).toBe(true);
  });

  describe("database setup Job", () => {
    let setup: AskyWorkload;
    beforeAll(() => {
      setup = setupWorkload(rendered);
    });

    it("runs setup-database.js with every variable its env spec reads, and no other", () => {
      expect(bundles).toContain("setup-database.js");
      expect(setup.container.command).toEqual(["node", "setup-database.js"]);
      checkEnvAgainstSpec(setup, variablesOf(setupDatabaseEnv), "setup Job");
      for (const variable of Object.values(setupDatabaseEnv)) {
        const entry = setup.env.get(variable.name);
        if (entry?.value !== undefined) expect(() => variable.parse(entry.value), variable.name).not.toThrow();
      }
      expect(known(setup.env, "DB_STATEMENT_TIMEOUT_MS")).toBe(
        known(serviceWorkload(rendered, "users").env, "DB_STATEMENT_TIMEOUT_MS"),
      );
    });

    it("connects as the superuser CloudNativePG creates from the same Secret", () => {
      const [cluster] = rendered.postgresClusters;
      expect(cluster?.spec?.enableSuperuserAccess).toBe(true);
      const url = new URL(setup.env.get("DATABASE_URL")?.template ?? "");
      expect(url.username).toBe("postgres");
      expect(url.hostname).toBe(`${cluster?.metadata?.name}-rw`);
      expect(url.pathname).toBe(`/${cluster?.spec?.bootstrap?.initdb?.database}`);
      expect(passwordSource(setup.env, "DATABASE_URL").source).toEqual({
        kind: "secret",
        name: cluster?.spec?.superuserSecret?.name,
        key: "password",
      });
    });

    it.each(subgraphNames)("sets the %s role's password the subgraph connects with", (id) => {
      const service = serviceWorkload(rendered, id);
      const url = new URL(service.env.get("DATABASE_URL")?.template ?? "");
      expect(decodeURIComponent(url.username)).toBe(serviceRole(id));
      expect(url.pathname).toBe(new URL(setup.env.get("DATABASE_URL")?.template ?? "").pathname);
      const setupPassword = setup.env.get(`${id.toUpperCase()}_DB_PASSWORD`);
      expect(passwordSource(service.env, "DATABASE_URL").source).toEqual(setupPassword?.source);
    });

    it("seeds demo data in dev only", () => {
      expect(setupDatabaseEnv.seedDemoData.parse(known(setup.env, "SEED_DEMO_DATA"))).toBe(overlay === "dev");
    });

    it("is named after the release, which every subgraph waits for before it starts", () => {
      const tag = rendered.images.find((image) => image.name === "asky")?.newTag;
      const job = rendered.jobs[0];
      expect(rendered.jobs).toHaveLength(1);
      expect(job?.metadata?.labels?.["app.kubernetes.io/version"]).toBe(tag);
      const name = `${setupJobBaseName}-${tag}`;
      expect(job?.metadata?.name).toBe(name);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/);
      const script = readFileSync(`${kubernetesRoot}base/wait-for-setup.mjs`, "utf8");
      for (const id of serviceIds) {
        const { template } = serviceWorkload(rendered, id);
        const waits = (template.spec?.initContainers ?? []).filter((init) => init.name === setupWaitContainer);
        // The gateway touches no database: it starts at once.
        expect(waits, id).toHaveLength(id === "gateway" ? 0 : 1);
        const [wait] = waits;
        if (!wait) continue;
        expect(known(containerEnv(wait, rendered), "SETUP_JOB")).toBe(name);
        const [, mount] = /^node (\/.+)\/wait-for-setup\.mjs$/.exec(wait.command?.join(" ") ?? "") ?? [];
        const volume = wait.volumeMounts?.find((candidate) => candidate.mountPath === mount)?.name;
        const map = template.spec?.volumes?.find((candidate) => candidate.name === volume)?.configMap?.name ?? "";
        expect(dataOf(rendered, "ConfigMap", map)?.["wait-for-setup.mjs"]).toBe(script);
        // Its API token is mounted in the init container only.
        const credentials = template.spec?.volumes?.find((candidate) => candidate.projected)?.name;
        const holders = containersOf(template).filter((c) => c.volumeMounts?.some((m) => m.name === credentials));
        expect(holders.map((holder) => holder.name)).toEqual([setupWaitContainer]);
      }
      const [role] = rendered.roles;
      expect(role?.rules).toEqual([
        { apiGroups: ["batch"], resources: ["jobs"], resourceNames: [name], verbs: ["get"] },
      ]);
      const bound = rendered.roleBindings.flatMap((binding) => binding.subjects?.map((subject) => subject.name) ?? []);
      expect(bound.sort()).toEqual(subgraphNames.map((id) => `asky-${id}`).sort());
    });
  });

  it("runs every Asky container from the overlay's `asky` image, at one tag", () => {
    const entry = rendered.images.find((image) => image.name === "asky");
    expect(entry?.newTag).toBeTruthy();
    const image = `${entry?.newName ?? "asky"}:${entry?.newTag}`;
    const asky = rendered.workloads.filter(
      (workload) => workload.template.metadata?.labels?.["app.kubernetes.io/name"] === "asky",
    );
    expect(asky.map((workload) => workload.name)).toHaveLength(serviceIds.length + 1);
    for (const workload of asky) {
      for (const container of containersOf(workload.template)) {
        expect(container.image, `${workload.name}/${container.name}`).toBe(image);
      }
    }
  });

  it("runs every pod and container unprivileged, with a read-only root and /tmp on an emptyDir", () => {
    for (const { name, template } of rendered.workloads) {
      const pod = template.spec;
      expect(pod?.securityContext, name).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod?.automountServiceAccountToken, name).toBe(false);
      const tmp = pod?.volumes?.find((volume) => volume.name === "tmp");
      expect(tmp?.emptyDir, `${name} volume tmp`).toBeDefined();
      for (const container of containersOf(template)) {
        const label = `${name}/${container.name}`;
        expect(container.securityContext, label).toEqual({
          runAsNonRoot: true,
          runAsUser: 1000,
          runAsGroup: 1000,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(container.volumeMounts, label).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      }
    }
  });

  it("gives every container CPU and memory requests and limits", () => {
    for (const { name, template } of rendered.workloads) {
      for (const container of containersOf(template)) {
        const { requests, limits } = container.resources ?? {};
        for (const resource of ["cpu", "memory"]) {
          expect(requests?.[resource], `${name}/${container.name} requests.${resource}`).toBeDefined();
          expect(limits?.[resource], `${name}/${container.name} limits.${resource}`).toBeDefined();
        }
      }
    }
  });

  it("references Secrets by name, with the keys generate-secrets.ts writes, and inlines none but dev's", async () => {
    const generated = await generateSecrets();
    const references = rendered.workloads.flatMap(({ template }) =>
      containersOf(template).flatMap((container) =>
        [...containerEnv(container, rendered).values()].flatMap((entry) => {
          if (entry.source.kind === "literal") {
            expect(entry.name, `${container.name}.${entry.name} is a literal`).not.toMatch(secretVariables);
          }
          return entry.source.kind === "secret" ? [entry.source] : [];
        }),
      ),
    );
    expect(references.length).toBeGreaterThan(0);
    const cluster = rendered.postgresClusters[0]?.spec?.superuserSecret?.name ?? "";
    for (const { name, key } of [...references, { name: cluster, key: "password" }]) {
      // Dev's generated Secrets carry a hash suffix.
      const secret = Object.keys(generated).find((candidate) => name === candidate || name.startsWith(`${candidate}-`));
      expect(secret, `Secret ${name}`).toBeDefined();
      expect(Object.keys(generated[secret!] ?? {}), `${name} key`).toContain(key);
      if (overlay === "dev") expect(dataOf(rendered, "Secret", name)?.[key], `${name}.${key}`).toBeTruthy();
    }
    if (overlay === "production") expect(rendered.secrets).toEqual([]);
  });

  describe("engines", () => {
    it("runs as many NATS brokers as the stream has replicas, and the services find each", () => {
      const [nats] = rendered.statefulSets;
      const brokers = nats?.spec?.replicas ?? 1;
      expect(brokers).toBe(overlay === "production" ? 3 : 1);
      const serviceName = nats?.spec?.serviceName;
      const clientPort = nats?.spec?.template.spec?.containers[0]?.ports?.find((p) => p.name === "client");
      for (const id of serviceIds) {
        const { env } = serviceWorkload(rendered, id);
        expect(Number(known(env, "NATS_STREAM_REPLICAS")), id).toBe(brokers);
        for (const url of known(env, "NATS_URL")
          .split(",")
          .map((seed) => new URL(seed.trim()))) {
          const member = new RegExp(`^${nats?.metadata?.name}-(\\d+)\\.${serviceName}$`).exec(url.hostname);
          const service = rendered.services.find((candidate) => candidate.metadata?.name === url.hostname);
          expect(
            member
              ? Number(member[1]) < brokers
              : labelsMatch(service?.spec?.selector, nats?.spec?.template.metadata?.labels),
            url.hostname,
          ).toBe(true);
          expect(Number(url.port), url.hostname).toBe(clientPort?.containerPort);
        }
      }
      const config =
        dataOf(
          rendered,
          "ConfigMap",
          nats?.spec?.template.spec?.volumes?.find((v) => v.configMap)?.configMap?.name ?? "",
        )?.["nats.conf"] ?? "";
      const routes = [...config.matchAll(/nats:\/\/([^\s:]+):6222/g)].map((match) => match[1]);
      const members = Array.from({ length: brokers }, (_, index) => `${nats?.metadata?.name}-${index}.${serviceName}`);
      expect(routes).toEqual(brokers > 1 ? members : []);
      const store = /store_dir:\s*(\S+)/.exec(config)?.[1];
      expect(nats?.spec?.template.spec?.containers[0]?.volumeMounts).toContainEqual({ name: "data", mountPath: store });
    });

    it("runs Postgres as a CloudNativePG cluster", () => {
      expect(rendered.postgresClusters).toHaveLength(1);
      expect(rendered.postgresClusters[0]?.spec?.instances).toBe(overlay === "production" ? 3 : 1);
    });
  });
});

describe("production overlay", () => {
  let rendered: Rendered;
  beforeAll(async () => {
    rendered = await renderOverlay("production");
  }, 300_000);

  it("runs in production mode behind one trusted proxy hop, with /metrics protected", () => {
    const { env } = serviceWorkload(rendered, "gateway");
    for (const id of serviceIds) expect(known(serviceWorkload(rendered, id).env, "NODE_ENV")).toBe("production");
    expect(known(setupWorkload(rendered).env, "NODE_ENV")).toBe("production");
    expect(Number(known(env, "TRUSTED_PROXY_HOPS"))).toBe(1);
    expect(env.get("METRICS_TOKEN")?.source.kind).toBe("secret");
  });

  it("sends the ingress's traffic to the gateway's port", () => {
    const ingress = rendered.objects.find((object) => object.kind === "Ingress");
    expect(ingress).toBeDefined();
    const text = JSON.stringify(ingress);
    expect(text).toContain('"service":{"name":"asky-gateway","port":{"name":"http"}}');
    expect(text).not.toMatch(/asky-(users|dispensers|requests)/);
  });
});
