/**
 * deploy/kubernetes's database setup Job, each overlay rendered with `kubectl kustomize`: its bundle and
 * env spec, the CloudNativePG superuser it connects as, the subgraph roles' passwords, demo data in dev
 * only, and the release-named Job every subgraph waits for before it starts.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { subgraphNames } from "@asky/contracts";
import { serviceRole } from "@asky/db";
import { containerEnv, dataOf, type EnvEntry } from "./support/container-env.js";
import { containersOf, kubernetesRoot, overlays, renderOverlay, type Rendered } from "./support/manifests.js";
import {
  known,
  serviceIds,
  serviceWorkload,
  setupDatabaseEnv,
  setupJobBaseName,
  setupWaitContainer,
  setupWorkload,
  variablesOf,
  type AskyWorkload,
} from "./support/asky-workloads.js";
import { bundles, checkEnvAgainstSpec } from "./support/kubernetes-checks.js";

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
});
