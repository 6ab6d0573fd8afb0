/**
 * What the Kubernetes manifest tests share: the build's bundles, the routes the probes must use, the
 * variables that may never be literals, and the check of a workload's env against its env spec.
 */
import { expect } from "vitest";
import { LIVENESS_PATH } from "@asky/runtime";
import { healthUrlOf } from "@asky/gateway/subgraphs";
import { buildEntries } from "../../../scripts/build/runtime-assets.js";
import type { AskyWorkload } from "./asky-workloads.js";

export const bundles = buildEntries.map((entry) => `${entry.name}.js`);
/** Where each service serves its health: what the gateway itself polls next to a GraphQL URL. */
export const healthPath = new URL(healthUrlOf("http://subgraph.invalid/graphql")).pathname;
/** The liveness route, as the HTTP host all four services run on mounts it (packages/runtime). */
export const livenessPath = LIVENESS_PATH;
/** Variables that hold keys, tokens or passwords: never a literal in a manifest. */
export const secretVariables = /(^SIGNING_JWKS$|^TRUSTED_JWKS$|^METRICS_TOKEN$|^WEBHOOK_SECRET_KEYS$|PASSWORD$)/;

export function checkEnvAgainstSpec(
  workload: AskyWorkload,
  variables: string[],
  label: string,
  also: readonly string[] = [],
) {
  const set = [...workload.env.keys()];
  const missing = variables.filter((name) => !workload.env.has(name));
  expect(missing, `${label}: set these`).toEqual([]);
  // Helpers are allowed only as the parts a spec variable is built from ($(DB_PASSWORD)).
  const referenced = new Set([...workload.env.values()].flatMap((entry) => entry.references));
  const unread = set.filter((name) => !variables.includes(name) && !referenced.has(name) && !also.includes(name));
  expect(unread, `${label}: variables its env spec does not read`).toEqual([]);
}
