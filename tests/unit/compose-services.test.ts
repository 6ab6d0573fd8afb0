/**
 * Each service of docker-compose.yml checked against the code without a Docker engine: the variables
 * it sets come from its env spec (the same objects `loadConfig` uses at start), never from a list
 * kept here, so adding a variable to a spec without setting it in docker-compose.yml fails this test.
 * Ports, key stores, metrics, healthchecks and each subgraph's database role are checked the same way.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "@asky/runtime";
import { serviceRole } from "@asky/db";
import { subgraphs } from "@asky/gateway/subgraphs";
import { readTelemetrySettings } from "@asky/telemetry";
import { buildEntries } from "../../scripts/build/runtime-assets.js";
import { setupDatabaseEnv } from "../../scripts/setup-database.js";
import {
  interpolate,
  service,
  environmentOf,
  words,
  dependsOn,
  subgraphSpecs,
  nodeServices,
  listening,
  portOf,
} from "./support/compose-file.js";

describe("docker-compose.yml", () => {
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
});
