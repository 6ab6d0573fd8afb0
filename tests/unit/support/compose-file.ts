/**
 * docker-compose.yml as the compose tests read it: parsed with its merge keys, each service's
 * environment interpolated the way compose does with no variables set, and the env spec and bundle
 * of each Asky service.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { type ConfigSpec } from "@asky/runtime";
import { type ServiceName } from "@asky/db";
import { dispensersEnv } from "@asky/dispensers/config";
import { gatewayEnv } from "@asky/gateway/config";
import { reportsEnv } from "@asky/reports/config";
import { requestsEnv } from "@asky/requests/config";
import { usersEnv } from "@asky/users/config";
import { setupDatabaseEnv } from "../../../scripts/setup-database.js";

export const run = promisify(execFile);
export const root = fileURLToPath(new URL("../../..", import.meta.url));
export const composePath = fileURLToPath(new URL("../../../docker-compose.yml", import.meta.url));
export const dockerfilePath = fileURLToPath(new URL("../../../Dockerfile", import.meta.url));

export type Environment = Record<string, string>;
export interface ComposeService {
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
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/**
 * Compose interpolation with no variables set: `${VAR:-default}` and `${VAR-default}` give the
 * default, `$$` a literal `$`. Anything without a default (`${VAR}`, `$VAR`, `${VAR:?error}`)
 * throws: the file must work on a machine with no `.env`.
 */
export function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced: string | undefined) => {
    if (match === "$$") return "$";
    const withDefault = braced === undefined ? null : /^[A-Za-z_][A-Za-z0-9_]*:?-(.*)$/s.exec(braced);
    if (!withDefault) throw new Error(`"${match}" in docker-compose.yml has no default value`);
    return withDefault[1]!;
  });
}

export const composePlugin = await run("docker", ["compose", "version"]).then(
  () => true,
  () => false,
);

export const compose = parse(readFileSync(composePath, "utf8"), { merge: true }) as ComposeFile;
export const services = compose.services;

export function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as compose would pass it (list or map form), defaults substituted. */
export function environmentOf(name: string): Environment {
  const raw = service(name).environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(raw)
    ? raw.map((item) => {
        const index = item.indexOf("=");
        return index < 0 ? [item, ""] : [item.slice(0, index), item.slice(index + 1)];
      })
    : Object.entries(raw).map(([key, value]) => [key, value === null ? "" : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

export function words(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(" ") : (value ?? "");
}

export function dependsOn(name: string): Record<string, string> {
  const raw = service(name).depends_on ?? {};
  return Array.isArray(raw)
    ? Object.fromEntries(raw.map((dependency) => [dependency, "service_started"]))
    : Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, value.condition ?? "service_started"]));
}

export const subgraphSpecs: Record<ServiceName, ConfigSpec> = {
  users: usersEnv,
  dispensers: dispensersEnv,
  requests: requestsEnv,
  reports: reportsEnv,
};
/** Each Asky service of the file: its env spec and the bundle of the build it runs. */
export const nodeServices: Record<string, { spec: ConfigSpec; bundle: string }> = {
  users: { spec: usersEnv, bundle: "users" },
  dispensers: { spec: dispensersEnv, bundle: "dispensers" },
  requests: { spec: requestsEnv, bundle: "requests" },
  reports: { spec: reportsEnv, bundle: "reports" },
  gateway: { spec: gatewayEnv, bundle: "gateway" },
  setup: { spec: setupDatabaseEnv, bundle: "setup-database" },
};
export const listening = ["users", "dispensers", "requests", "reports", "gateway"] as const;
export const portOf = (name: (typeof listening)[number]): number =>
  Number(environmentOf(name)[nodeServices[name]!.spec.port!.name]);
