/**
 * deploy/kubernetes checked against the code without a cluster: each overlay is rendered
 * with `kubectl kustomize`, every object is validated against its Kubernetes (or
 * CloudNativePG) schema, and the overlay as a whole is checked here: wiring, the one image,
 * unprivileged pods, resources, Secrets and the NATS and Postgres engines. The Deployments and
 * the setup Job are compared with the env specs and the service registry in
 * kubernetes-services.test.ts and kubernetes-setup-job.test.ts, as compose-services.test.ts does
 * for docker-compose.yml.
 */
import { readFileSync, existsSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { subgraphNames } from "@asky/contracts";
import { generateSecrets } from "../../deploy/kubernetes/generate-secrets.js";
import { runtimeAssets } from "../../scripts/build/runtime-assets.js";
import { containerEnv, dataOf } from "./support/container-env.js";
import { containersOf, labelsMatch, overlays, renderOverlay, type Rendered } from "./support/manifests.js";
import { known, serviceIds, serviceWorkload, setupWorkload } from "./support/asky-workloads.js";
import { secretVariables } from "./support/kubernetes-checks.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The image's working directory, where the build's bundles and assets are (Dockerfile). */
const workdir = [...readFileSync(`${root}/Dockerfile`, "utf8").matchAll(/^WORKDIR\s+(\S+)/gm)].at(-1)?.[1] ?? "";

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
