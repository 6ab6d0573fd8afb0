/**
 * docker-compose.yml and the Dockerfile, checked against the code without a Docker engine.
 *
 * The variables each service reads come from its env spec (the same objects `loadConfig`
 * uses at start), never from a list kept here, so adding a variable to a spec without
 * setting it in docker-compose.yml fails this test.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig, type ConfigSpec } from "@asky/runtime";
import { serviceRegistry, subgraphNames } from "@asky/contracts";
import { serviceNames, serviceRole, type ServiceName } from "@asky/db";
import { dispensersEnv } from "@asky/dispensers/config";
import { gatewayEnv } from "@asky/gateway/config";
import { subgraphs } from "@asky/gateway/subgraphs";
import { reportsEnv } from "@asky/reports/config";
import { requestsEnv } from "@asky/requests/config";
import { readTelemetrySettings } from "@asky/telemetry";
import { usersEnv } from "@asky/users/config";
import { buildEntries } from "../../scripts/build/runtime-assets.js";
import { setupDatabaseEnv } from "../../scripts/setup-database.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const composePath = fileURLToPath(new URL("../../docker-compose.yml", import.meta.url));
const dockerfilePath = fileURLToPath(new URL("../../Dockerfile", import.meta.url));

type Environment = Record<string, string>;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: Array<string | { target?: number; published?: number | string }>;
  volumes?: Array<string | { source?: string; target?: string }>;
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

/**
 * Compose interpolation with no variables set: `${VAR:-default}` and `${VAR-default}` give the
 * default, `$$` a literal `$`. Anything without a default (`${VAR}`, `$VAR`, `${VAR:?error}`)
 * throws: the file must work on a machine with no `.env`.
 */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced: string | undefined) => {
    if (match === "$$") return "$";
    const withDefault = braced === undefined ? null : /^[A-Za-z_][A-Za-z0-9_]*:?-(.*)$/s.exec(braced);
    if (!withDefault) throw new Error(`"${match}" in docker-compose.yml has no default value`);
    return withDefault[1]!;
  });
}

const composePlugin = await run("docker", ["compose", "version"]).then(
  () => true,
  () => false,
);

const compose = parse(readFileSync(composePath, "utf8"), { merge: true }) as ComposeFile;
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as compose would pass it (list or map form), defaults substituted. */
function environmentOf(name: string): Environment {
  const raw = service(name).environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(raw)
    ? raw.map((item) => {
        const index = item.indexOf("=");
        return index < 0 ? [item, ""] : [item.slice(0, index), item.slice(index + 1)];
      })
    : Object.entries(raw).map(([key, value]) => [key, value === null ? "" : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

function words(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(" ") : (value ?? "");
}

function dependsOn(name: string): Record<string, string> {
  const raw = service(name).depends_on ?? {};
  return Array.isArray(raw)
    ? Object.fromEntries(raw.map((dependency) => [dependency, "service_started"]))
    : Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, value.condition ?? "service_started"]));
}

const subgraphSpecs: Record<ServiceName, ConfigSpec> = {
  users: usersEnv,
  dispensers: dispensersEnv,
  requests: requestsEnv,
  reports: reportsEnv,
};
/** Each Asky service of the file: its env spec and the bundle of the build it runs. */
const nodeServices: Record<string, { spec: ConfigSpec; bundle: string }> = {
  users: { spec: usersEnv, bundle: "users" },
  dispensers: { spec: dispensersEnv, bundle: "dispensers" },
  requests: { spec: requestsEnv, bundle: "requests" },
  reports: { spec: reportsEnv, bundle: "reports" },
  gateway: { spec: gatewayEnv, bundle: "gateway" },
  setup: { spec: setupDatabaseEnv, bundle: "setup-database" },
};
const listening = ["users", "dispensers", "requests", "reports", "gateway"] as const;
const portOf = (name: (typeof listening)[number]): number =>
  Number(environmentOf(name)[nodeServices[name]!.spec.port!.name]);

describe("docker-compose.yml", () => {
  it("has the infrastructure, the one-shot setup, the four subgraphs and the gateway", () => {
    expect(Object.keys(services).sort()).toEqual(["postgres", "nats", "setup", ...serviceNames, "gateway"].sort());
    expect(service("postgres").image).toMatch(/^postgres:17(\b|$)/);
    expect(words(service("postgres").healthcheck?.test)).toContain("pg_isready");
    expect(service("nats").image).toMatch(/^nats:2\.10(\b|$)/);
    expect(words(service("nats").command)).toMatch(/(^| )-js( |$)/);
    expect(words(service("nats").command)).toMatch(/-sd \/data/);
  });

  it("has no variable without a default (it must run with no .env file)", () => {
    expect(() => interpolate(JSON.stringify(compose))).not.toThrow();
  });

  it("restarts every long-running service whenever it exits, and never the one-shot setup", () => {
    for (const name of Object.keys(services).filter((name) => name !== "setup")) {
      expect(service(name).restart, `services.${name}.restart`).toBe("unless-stopped");
    }
    expect(service("setup").restart).toBe("no");
  });

  describe.each(Object.entries(nodeServices))("service %s", (name, { spec, bundle }) => {
    it("sets every variable its env spec reads", () => {
      const environment = environmentOf(name);
      const missing = Object.values(spec)
        .map((variable) => variable.name)
        .filter((variable) => !(variable in environment));
      expect(missing, `set these in services.${name}.environment`).toEqual([]);
    });

    it("sets values its env spec accepts", () => {
      const environment = environmentOf(name);
      for (const variable of Object.values(spec)) {
        expect(() => variable.parse(environment[variable.name]), variable.name).not.toThrow();
      }
      expect(() => loadConfig(spec, environment)).not.toThrow();
    });

    it("runs its bundle of the build, as JavaScript, with a read-only root filesystem", () => {
      expect(buildEntries.map((entry) => entry.name)).toContain(bundle);
      expect(words(service(name).command)).toBe(`node ${bundle}.js`);
      expect(service(name).read_only).toBe(true);
      expect(service(name).tmpfs).toEqual(["/tmp"]);
    });
  });

  describe.each(listening)("service %s", (name) => {
    it("reaches other compose services on the ports they listen on", () => {
      for (const [variable, value] of Object.entries(environmentOf(name))) {
        if (!/^https?:\/\//.test(value)) continue;
        const url = new URL(value);
        if (!(listening as readonly string[]).includes(url.hostname)) continue;
        expect(Number(url.port), variable).toBe(portOf(url.hostname as (typeof listening)[number]));
      }
    });

    it("keeps its development key store on a volume", () => {
      const keysDir = nodeServices[name]!.spec.keysDir;
      if (!keysDir) return; // the spec has no key store
      const path = environmentOf(name)[keysDir.name]!;
      const targets = (service(name).volumes ?? []).map((volume) =>
        typeof volume === "string" ? interpolate(volume).split(":")[1] : volume.target,
      );
      expect(targets).toContain(path);
    });

    it("serves /metrics with the one METRICS_TOKEN, and traces nothing until an OTLP endpoint is set", () => {
      const raw = service(name).environment as Record<string, unknown>;
      // One token for the four services, from the environment: Prometheus sends the same to each.
      expect(raw.METRICS_TOKEN, `services.${name}.environment.METRICS_TOKEN`).toBe("${METRICS_TOKEN:-}");
      const environment = environmentOf(name);
      const settings = readTelemetrySettings(environment, `unnamed-${name}`);
      expect(settings.serviceName).toBe(`asky-${name}`);
      expect(environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("");
      expect(settings.traces).toBeNull();
      for (const variable of Object.keys(environment).filter((key) => key.startsWith("OTEL_"))) {
        expect(raw[variable], variable).toMatch(
          variable === "OTEL_SERVICE_NAME" ? /^asky-[a-z]+$/ : new RegExp(`^\\$\\{${variable}:-[^}]*\\}$`),
        );
      }
      const enabled = readTelemetrySettings(
        { ...environment, OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector:4318" },
        `unnamed-${name}`,
      );
      expect(enabled.traces?.protocol).toBe("http/protobuf");
    });

    it("listens on all interfaces of its container", () => {
      expect(environmentOf(name)[nodeServices[name]!.spec.host!.name]).toBe("0.0.0.0");
    });

    it("has a healthcheck that fetches /health on its PORT", () => {
      const test = words(service(name).healthcheck?.test);
      expect(test).toMatch(/^CMD node -e .*fetch\(/);
      expect(test).toContain(`http://127.0.0.1:${portOf(name)}/health`);
    });
  });

  describe.each(subgraphs.map((subgraph) => [subgraph.name, subgraph.envVar] as const))(
    "subgraph %s",
    (name, urlVariable) => {
      it(`is what the gateway's ${urlVariable} points at`, () => {
        const url = new URL(environmentOf("gateway")[urlVariable]!);
        expect(url.hostname).toBe(name);
        expect(Number(url.port)).toBe(portOf(name));
        expect(url.pathname).toBe("/graphql");
      });

      it(`connects to Postgres as its own role (${serviceRole(name)}) with the password setup gave it`, () => {
        const url = new URL(environmentOf(name)[subgraphSpecs[name].databaseUrl!.name]!);
        const postgres = environmentOf("postgres");
        expect(decodeURIComponent(url.username)).toBe(serviceRole(name));
        expect(url.hostname).toBe("postgres");
        expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
        const passwordVariable = `${name.toUpperCase()}_DB_PASSWORD`;
        expect(Object.values(setupDatabaseEnv).map((variable) => variable.name)).toContain(passwordVariable);
        expect(decodeURIComponent(url.password)).toBe(environmentOf("setup")[passwordVariable]);
      });

      it("starts after setup succeeded, with NATS", () => {
        expect(dependsOn(name)).toMatchObject({ setup: "service_completed_successfully", nats: "service_started" });
      });
    },
  );

  describe("matches the service registry", () => {
    const registered = Object.values(serviceRegistry);

    it("has a service of each registered name, listening on its registered port", () => {
      for (const { name, defaultPort } of registered) {
        expect(services, name).toHaveProperty([name]);
        expect(portOf(name), `services.${name} PORT`).toBe(defaultPort);
      }
    });

    it("points every subgraph's URL variable, wherever it is set, at that subgraph's registered port", () => {
      for (const name of subgraphNames) {
        const { urlEnvVar, defaultPort } = serviceRegistry[name];
        const setters = Object.keys(services).filter((service) => urlEnvVar in environmentOf(service));
        expect(setters, urlEnvVar).toContain("gateway");
        for (const setter of setters) {
          expect(environmentOf(setter)[urlEnvVar], `services.${setter}.${urlEnvVar}`).toBe(
            `http://${name}:${defaultPort}/graphql`,
          );
        }
      }
    });

    it("names only URL variables the registry knows", () => {
      const known = new Set<string>(subgraphNames.map((name) => serviceRegistry[name].urlEnvVar));
      for (const service of Object.keys(services)) {
        for (const [variable, value] of Object.entries(environmentOf(service))) {
          if (!/^https?:\/\/[^/]+\/graphql$/.test(value)) continue;
          expect(known.has(variable), `services.${service}.${variable}`).toBe(true);
        }
      }
    });

    it("finds each registered schema where the registry says", () => {
      for (const { name, schemaPath } of registered) expect(existsSync(`${root}/${schemaPath}`), name).toBe(true);
    });
  });

  it("gives setup the postgres superuser of the database", () => {
    const url = new URL(environmentOf("setup")[setupDatabaseEnv.databaseUrl.name]!);
    const postgres = environmentOf("postgres");
    expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER ?? "postgres");
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.hostname).toBe("postgres");
    expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    expect(dependsOn("setup")).toMatchObject({ postgres: "service_healthy" });
  });

  it("does not seed demo data unless asked", () => {
    expect(setupDatabaseEnv.seedDemoData.parse(environmentOf("setup")[setupDatabaseEnv.seedDemoData.name])).toBe(false);
  });

  it("starts the gateway after every subgraph is healthy and publishes its PORT", () => {
    expect(dependsOn("gateway")).toMatchObject(
      Object.fromEntries(serviceNames.map((name) => [name, "service_healthy"])),
    );
    const ports = (service("gateway").ports ?? []).map((port) =>
      typeof port === "string" ? Number(interpolate(port).split(":").at(-1)) : port.target,
    );
    expect(ports).toContain(portOf("gateway"));
  });

  it("serves the supergraph baked into the image", () => {
    const workdir = [...readFileSync(dockerfilePath, "utf8").matchAll(/^WORKDIR\s+(\S+)/gm)].at(-1)?.[1];
    expect(workdir).toBeDefined();
    const path = environmentOf("gateway")[gatewayEnv.supergraphPath.name]!;
    expect(posix.isAbsolute(path)).toBe(true);
    expect(existsSync(`${root}/${posix.relative(workdir!, path)}`)).toBe(true);
  });

  it("builds every Asky service from the one Dockerfile, under one image name", () => {
    const built = Object.entries(services).filter(
      ([name, definition]) => definition.build !== undefined || name in nodeServices,
    );
    expect(built.map(([name]) => name).sort()).toEqual(Object.keys(nodeServices).sort());
    const images = new Set(built.map(([, definition]) => definition.image && interpolate(definition.image)));
    expect(images.size).toBe(1);
    for (const [name, definition] of built) {
      const build = typeof definition.build === "string" ? { context: definition.build } : definition.build;
      expect(build, name).toBeDefined();
      expect(posix.normalize(build!.context ?? "."), name).toBe(".");
      expect(build!.dockerfile ?? "Dockerfile", name).toBe("Dockerfile");
    }
    // No other service reuses that image name without building it.
    for (const [name, definition] of Object.entries(services)) {
      if (definition.image && images.has(interpolate(definition.image))) {
        expect(definition.build, name).toBeDefined();
      }
    }
  });

  // The Docker Compose CLI plugin validates the whole file without an engine. It is not on
  // every machine (Debian ships only the legacy docker-compose v1): then only this is skipped.
  it.skipIf(!composePlugin)(
    composePlugin
      ? "is valid for `docker compose config`"
      : "is valid for `docker compose config` (skipped: the docker compose CLI plugin is not installed)",
    async () => {
      await expect(run("docker", ["compose", "-f", composePath, "config", "-q"], { cwd: root })).resolves.toBeDefined();
    },
  );
});

describe("Dockerfile", () => {
  const dockerfile = existsSync(dockerfilePath) ? readFileSync(dockerfilePath, "utf8") : "";
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim());

  /** The instructions of each stage, by the stage's name (`FROM ... AS name`). */
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.set(from[1] ?? `stage-${stages.size}`, (current = []));
    else if (line !== "" && !line.startsWith("#")) current.push(line);
  }
  const runtime = [...stages.values()].at(-1) ?? [];

  it("is multi-stage on the Node release package.json pins", () => {
    expect(dockerfile).not.toBe("");
    expect(stages.size).toBeGreaterThanOrEqual(2);
    const pinned = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { devDependencies: { node: string } })
      .devDependencies.node;
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinned.replaceAll(".", "\\.")}-bookworm-slim$`, "m"));
    for (const line of dockerfile.split("\n").filter((line) => /^FROM\s/i.test(line))) {
      expect(line).toMatch(/^FROM \$\{NODE_IMAGE\}/);
    }
  });

  it("builds JavaScript in a build stage and runs it with plain node: no tsx, no TypeScript", () => {
    const build = stages.get("build") ?? [];
    expect(build.some((line) => /^RUN\s.*\bnpm run build\b/.test(line))).toBe(true);
    const commands = instructions.filter((line) => /^(CMD|ENTRYPOINT)\s/i.test(line));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command).not.toMatch(/tsx|\.ts\b/);
      const [file] = (JSON.parse(command.replace(/^\S+\s+/, "")) as string[]).slice(1);
      expect(buildEntries.map((entry) => `${entry.name}.js`)).toContain(file);
    }
    expect(runtime.join("\n")).not.toMatch(/tsx/);
  });

  it("installs no dependency in the image it runs: the runtime stage only copies the build's output", () => {
    expect(runtime.filter((line) => /\bnpm\b|\bnpx\b/.test(line))).toEqual([]);
    const copies = runtime.filter((line) => /^COPY\s/i.test(line));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy).toMatch(/^COPY --from=build\s/);
    expect(runtime.some((line) => /^ENV\s.*--enable-source-maps/.test(line))).toBe(true);
  });

  it("installs dependencies with npm ci from the lockfile", () => {
    expect(instructions.some((line) => /^RUN\s.*\bnpm ci\b/.test(line))).toBe(true);
    expect(instructions.some((line) => /^RUN\s.*\bnpm install\b/.test(line))).toBe(false);
    expect(existsSync(`${root}/package-lock.json`)).toBe(true);
  });

  it("runs as a non-root user in production mode", () => {
    const user = instructions.filter((line) => /^USER\s/i.test(line)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    expect(dockerfile).toMatch(/^ENV\s.*\bNODE_ENV=production\b/m);
  });

  it("keeps local installs, data and git out of the build context", () => {
    const ignored = readFileSync(`${root}/.dockerignore`, "utf8")
      .split("\n")
      .map((line) => line.trim());
    for (const pattern of ["**/node_modules", "**/.data", ".git"]) expect(ignored).toContain(pattern);
  });
});
