/**
 * The Asky processes as the code declares them (service registry, env specs) and where the
 * manifests run them: a Deployment `asky-<id>` whose container `<id>` runs `<id>.js`, and the
 * setup Job. The tests compare one with the other.
 */
import type { IContainer } from "kubernetes-models/v1";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { ConfigSpec } from "@asky/runtime";
import { serviceRegistry, type ServiceId } from "@asky/contracts";
import { dispensersEnv } from "@asky/dispensers/config";
import { gatewayEnv } from "@asky/gateway/config";
import { reportsEnv } from "@asky/reports/config";
import { requestsEnv } from "@asky/requests/config";
import { usersEnv } from "@asky/users/config";
import { setupDatabaseEnv } from "../../../scripts/setup-database.js";
import { containerEnv, type EnvEntry } from "./container-env.js";
import type { Rendered } from "./manifests.js";

export const serviceIds = Object.keys(serviceRegistry) as ServiceId[];

export const envSpecs: Record<ServiceId, ConfigSpec> = {
  gateway: gatewayEnv,
  users: usersEnv,
  dispensers: dispensersEnv,
  requests: requestsEnv,
  reports: reportsEnv,
};
export { setupDatabaseEnv };

/** The setup Job's name before the overlay appends the release version. */
export const setupJobBaseName = "asky-setup-database";
export const setupContainer = "setup-database";
export const setupWaitContainer = "wait-for-database-setup";

export const variablesOf = (spec: ConfigSpec): string[] => Object.values(spec).map((variable) => variable.name);

/**
 * The standard OpenTelemetry variables a deployment may set for the four services. They are
 * read by @asky/telemetry (otel-env.ts: whether and how to export) and by the OpenTelemetry
 * SDK's exporters and resource detector themselves, not by an env spec, so the spec checks
 * allow them by this list; what they are set to is checked with readTelemetrySettings.
 */
export const openTelemetryVariables: readonly string[] = [
  "OTEL_SDK_DISABLED",
  "OTEL_SERVICE_NAME",
  "OTEL_RESOURCE_ATTRIBUTES",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
  "OTEL_EXPORTER_OTLP_PROTOCOL",
  "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
  "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
  "OTEL_EXPORTER_OTLP_HEADERS",
  "OTEL_EXPORTER_OTLP_TIMEOUT",
  "OTEL_EXPORTER_OTLP_COMPRESSION",
  "OTEL_TRACES_EXPORTER",
  "OTEL_METRICS_EXPORTER",
  "OTEL_TRACES_SAMPLER",
  "OTEL_TRACES_SAMPLER_ARG",
  "OTEL_METRIC_EXPORT_INTERVAL",
];

/** Whether a service's code calls `target` (it reads the variable that says where `target` is). */
export function calls(caller: ConfigSpec, target: ServiceId): boolean {
  const variable = serviceRegistry[target].urlEnvVar;
  return variable !== null && variablesOf(caller).includes(variable);
}

export interface AskyWorkload {
  readonly template: IPodTemplateSpec;
  readonly container: IContainer;
  readonly env: Map<string, EnvEntry>;
}

function workload(rendered: Rendered, kind: "Deployment" | "Job", match: (name: string) => boolean, container: string) {
  const owner = rendered.workloads.find((candidate) => candidate.kind === kind && match(candidate.name));
  if (!owner) throw new Error(`${rendered.overlay}: no ${kind} for ${container}`);
  const found = owner.template.spec?.containers.find((candidate) => candidate.name === container);
  if (!found) throw new Error(`${rendered.overlay}: ${kind} ${owner.name} has no container ${container}`);
  return { template: owner.template, container: found, env: containerEnv(found, rendered) };
}

export function serviceWorkload(rendered: Rendered, id: ServiceId): AskyWorkload {
  return workload(rendered, "Deployment", (name) => name === `asky-${id}`, id);
}

export function setupWorkload(rendered: Rendered): AskyWorkload {
  return workload(rendered, "Job", (name) => name.startsWith(setupJobBaseName), setupContainer);
}

/** The value of a variable that must be known (a literal or a ConfigMap, or a dev Secret). */
export function known(env: ReadonlyMap<string, EnvEntry>, name: string): string {
  const value = env.get(name)?.value;
  if (value === undefined) throw new Error(`${name} is not set to a known value`);
  return value;
}
