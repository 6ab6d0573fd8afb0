/**
 * The NetworkPolicies of deploy/kubernetes against the calls the code makes. Which service
 * calls which is read off the env specs (a spec that reads `USERS_URL` calls users; one that
 * reads `DATABASE_URL` uses Postgres, `NATS_URL` NATS), and every pair of pods and port in the
 * rendered overlay is evaluated: exactly those calls, the infrastructure's own traffic and
 * clients to the gateway may pass; anything else must be refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { serviceRegistry, type ServiceId } from "@asky/contracts";
import type { ConfigSpec } from "@asky/runtime";
import { allows, type Pod } from "./support/network-policy.js";
import { containersOf, overlays, renderOverlay, type Rendered } from "./support/manifests.js";
import { calls, envSpecs, serviceIds, setupDatabaseEnv, variablesOf } from "./support/asky-workloads.js";

type Role = ServiceId | "database-setup" | "nats" | "postgres" | "outside";
interface Endpoint extends Pod {
  readonly role: Role;
}

const namespaceLabels = (name: string) => ({ "kubernetes.io/metadata.name": name });

/** Pods from outside the manifests: a client's way in, a stranger in the namespace, the CNPG operator. */
const outsiders: readonly Endpoint[] = [
  {
    name: "ingress controller",
    role: "outside",
    namespace: "ingress-nginx",
    labels: { "app.kubernetes.io/name": "ingress-nginx" },
    namespaceLabels: namespaceLabels("ingress-nginx"),
    ports: {},
  },
  {
    name: "a pod of another namespace",
    role: "outside",
    namespace: "elsewhere",
    labels: {},
    namespaceLabels: namespaceLabels("elsewhere"),
    ports: {},
  },
];

function endpointsOf(rendered: Rendered): Endpoint[] {
  const namespace = rendered.objects.find((object) => object.kind === "Namespace")?.metadata.name ?? "asky";
  const local = (name: string, role: Role, labels: Record<string, string>, ports: Record<string, number>) => ({
    name,
    role,
    namespace,
    labels,
    namespaceLabels: namespaceLabels(namespace),
    ports,
  });
  const workloads = rendered.workloads.map(({ name, template }) => {
    const labels = template.metadata?.labels ?? {};
    const component = labels["app.kubernetes.io/component"];
    const role: Role =
      labels["app.kubernetes.io/name"] === "nats" ? "nats" : ((component ?? "outside") as ServiceId | "database-setup");
    const ports = Object.fromEntries(
      containersOf(template).flatMap((container) =>
        (container.ports ?? []).map((port) => [port.name ?? String(port.containerPort), port.containerPort]),
      ),
    );
    return local(name, role, labels, ports);
  });
  // CloudNativePG's instance pods carry the cluster's name; Postgres on 5432, status on 8000.
  const postgres = rendered.postgresClusters.map((cluster) =>
    local(
      `postgres ${cluster.metadata?.name}`,
      "postgres",
      { "cnpg.io/cluster": cluster.metadata?.name ?? "" },
      {
        postgresql: 5432,
        status: 8000,
      },
    ),
  );
  const stranger = local("an unlabelled pod of the namespace", "outside", { run: "debug" }, {});
  const operator: Endpoint = {
    name: "CloudNativePG operator",
    role: "outside",
    namespace: "cnpg-system",
    labels: { "app.kubernetes.io/name": "cloudnative-pg" },
    namespaceLabels: namespaceLabels("cnpg-system"),
    ports: {},
  };
  return [...workloads, ...postgres, stranger, operator, ...outsiders];
}

const specOf = (role: Role): ConfigSpec | undefined =>
  role === "database-setup"
    ? setupDatabaseEnv
    : (serviceIds as Role[]).includes(role)
      ? envSpecs[role as ServiceId]
      : undefined;

/** Whether the code (or the engines' own clustering) needs `source` to reach `destination` on `port`. */
function expected(source: Endpoint, destination: Endpoint, port: number): boolean {
  const spec = specOf(source.role);
  switch (destination.role) {
    case "gateway":
      // Clients come from outside the namespace (the ingress controller, a port-forward).
      return port === serviceRegistry.gateway.defaultPort && source.namespace !== destination.namespace;
    case "users":
    case "dispensers":
    case "requests":
    case "reports":
      return port === serviceRegistry[destination.role].defaultPort && !!spec && calls(spec, destination.role);
    case "nats":
      if (source.role === "nats") return port === destination.ports.cluster;
      return port === destination.ports.client && !!spec && variablesOf(spec).includes("NATS_URL");
    case "postgres":
      if (source.role === "postgres") return port === 5432 || port === 8000;
      if (source.name === "CloudNativePG operator") return port === 5432 || port === 8000;
      return port === 5432 && !!spec && variablesOf(spec).includes("DATABASE_URL");
    case "database-setup":
    case "outside":
      // Nothing calls the setup Job, and nothing outside the manifests listens.
      return false;
  }
}

describe.each(overlays)("overlay %s", (overlay) => {
  let rendered: Rendered;
  beforeAll(async () => {
    rendered = await renderOverlay(overlay);
  }, 300_000);

  it("denies all traffic that no policy allows, both ways", () => {
    const denyAll = rendered.networkPolicies.find(
      (policy) =>
        Object.keys(policy.spec?.podSelector ?? { any: 1 }).length === 0 &&
        policy.spec?.policyTypes?.includes("Ingress") &&
        policy.spec.policyTypes.includes("Egress") &&
        !policy.spec.ingress &&
        !policy.spec.egress,
    );
    expect(denyAll?.metadata?.name).toBe("default-deny");
  });

  it("lets exactly the calls the code makes through, and the engines' own traffic", () => {
    const endpoints = endpointsOf(rendered);
    expect(endpoints.map((endpoint) => endpoint.role)).toEqual(
      expect.arrayContaining([...serviceIds, "database-setup", "nats", "postgres"]),
    );
    const wrong: string[] = [];
    for (const source of endpoints) {
      for (const destination of endpoints) {
        for (const port of new Set(Object.values(destination.ports))) {
          const allowed = allows(rendered.networkPolicies, source, destination, port);
          if (allowed !== expected(source, destination, port)) {
            wrong.push(`${source.name} -> ${destination.name}:${port} ${allowed ? "allowed" : "refused"}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("lets every pod of the namespace resolve names", () => {
    const dns: Pod = {
      name: "kube-dns",
      namespace: "kube-system",
      labels: { "k8s-app": "kube-dns" },
      namespaceLabels: namespaceLabels("kube-system"),
      ports: {},
    };
    for (const endpoint of endpointsOf(rendered).filter((candidate) => candidate.namespace === "asky")) {
      if (endpoint.role === "outside") continue;
      expect(allows(rendered.networkPolicies, endpoint, dns, 53), endpoint.name).toBe(true);
    }
  });
});
