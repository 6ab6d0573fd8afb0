/**
 * docker-compose.yml as a whole, checked against the code without a Docker engine: its services,
 * restart policies, the service registry, the setup service, the gateway's start and the one image
 * every Asky service is built from. Each service's own settings are checked in
 * compose-services.test.ts, the Dockerfile in dockerfile.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { serviceRegistry, subgraphNames } from "@asky/contracts";
import { serviceNames } from "@asky/db";
import { gatewayEnv } from "@asky/gateway/config";
import { setupDatabaseEnv } from "../../scripts/setup-database.js";
import {
  run,
  root,
  composePath,
  interpolate,
  composePlugin,
  compose,
  services,
  service,
  environmentOf,
  words,
  dependsOn,
  nodeServices,
  portOf,
  dockerfilePath,
} from "./support/compose-file.js";

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
