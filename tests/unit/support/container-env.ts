/**
 * A container's environment as the kubelet builds it: `envFrom` ConfigMaps and Secrets
 * first, then `env` (which wins), with `$(VAR)` references expanded from what is defined
 * before them. A value from a Secret the render does not contain (production, where the
 * Secrets are created by hand) is unknown: `value` is undefined, and so is any value built
 * from it, but where it came from is kept.
 */
import type { IContainer } from "kubernetes-models/v1";
import type { Rendered } from "./manifests.js";

export type EnvSource =
  | { readonly kind: "literal" }
  | { readonly kind: "configMap"; readonly name: string; readonly key: string }
  | { readonly kind: "secret"; readonly name: string; readonly key: string }
  | { readonly kind: "field"; readonly path: string };

export interface EnvEntry {
  readonly name: string;
  /** The value the process sees; undefined when it comes from a Secret not rendered here. */
  readonly value: string | undefined;
  readonly source: EnvSource;
  /** The `value:` as written, before `$(VAR)` expansion. */
  readonly template?: string;
  /** Variables this one is built from with `$(VAR)`. */
  readonly references: readonly string[];
}

/** A ConfigMap's or Secret's keys and values (Secret data decoded), or undefined when absent. */
export function dataOf(rendered: Rendered, kind: "ConfigMap" | "Secret", name: string) {
  if (kind === "ConfigMap") return rendered.configMaps.find((map) => map.metadata?.name === name)?.data;
  const secret = rendered.secrets.find((candidate) => candidate.metadata?.name === name);
  if (!secret) return undefined;
  const decoded = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]),
  );
  return { ...decoded, ...secret.stringData };
}

const reference = /\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;

function expand(template: string, defined: ReadonlyMap<string, EnvEntry>) {
  const references: string[] = [];
  let known = true;
  const value = template.replace(reference, (match, name: string | undefined) => {
    if (name === undefined) return "$";
    const entry = defined.get(name);
    // The kubelet leaves an undefined reference as written.
    if (!entry) return match;
    references.push(name);
    if (entry.value === undefined) known = false;
    return entry.value ?? match;
  });
  return { value: known ? value : undefined, references };
}

export function containerEnv(container: IContainer, rendered: Rendered): Map<string, EnvEntry> {
  const env = new Map<string, EnvEntry>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? "ConfigMap" : "Secret";
    if (!ref?.name) throw new Error(`${container.name}: envFrom without a name`);
    const data = dataOf(rendered, kind, ref.name);
    if (!data) throw new Error(`${container.name}: envFrom names ${kind} ${ref.name}, which is not rendered`);
    for (const [key, value] of Object.entries(data)) {
      const source = kind === "ConfigMap" ? "configMap" : "secret";
      env.set(`${from.prefix ?? ""}${key}`, {
        name: `${from.prefix ?? ""}${key}`,
        value,
        source: { kind: source, name: ref.name, key },
        references: [],
      });
    }
  }
  for (const variable of container.env ?? []) {
    const { name } = variable;
    const from = variable.valueFrom;
    if (from?.secretKeyRef) {
      const { name: secret = "", key } = from.secretKeyRef;
      const value = dataOf(rendered, "Secret", secret)?.[key];
      env.set(name, { name, value, source: { kind: "secret", name: secret, key }, references: [] });
    } else if (from?.configMapKeyRef) {
      const { name: map = "", key } = from.configMapKeyRef;
      const data = dataOf(rendered, "ConfigMap", map);
      if (!data) throw new Error(`${container.name}.${name}: ConfigMap ${map} is not rendered`);
      env.set(name, { name, value: data[key], source: { kind: "configMap", name: map, key }, references: [] });
    } else if (from?.fieldRef) {
      env.set(name, {
        name,
        value: undefined,
        source: { kind: "field", path: from.fieldRef.fieldPath },
        references: [],
      });
    } else if (from) {
      throw new Error(`${container.name}.${name}: unsupported valueFrom`);
    } else {
      const template = variable.value ?? "";
      env.set(name, { name, ...expand(template, env), source: { kind: "literal" }, template });
    }
  }
  return env;
}

/** The variables whose value is known, as a process environment. */
export function knownValues(env: ReadonlyMap<string, EnvEntry>): Record<string, string> {
  return Object.fromEntries(
    [...env.values()].flatMap((entry) => (entry.value === undefined ? [] : [[entry.name, entry.value] as const])),
  );
}
