/**
 * What a set of NetworkPolicies lets through, following the Kubernetes semantics: a pod
 * selected by any policy of a direction is isolated in it and receives (or sends) only what
 * one of those policies allows; a connection needs the sender's egress and the receiver's
 * ingress. An ipBlock is taken to match every pod (pod addresses are not known here), which
 * can only make more connections look allowed, never fewer.
 */
import type { INetworkPolicy, INetworkPolicyPeer, INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1";
import type { IIoK8sApimachineryPkgApisMetaV1LabelSelector as LabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";

export interface Pod {
  /** For messages. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The namespace's labels (always `kubernetes.io/metadata.name`). */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** Named ports, for policies that name a port rather than number it. */
  readonly ports: Readonly<Record<string, number>>;
}

export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case "In":
        return value !== undefined && values.includes(value);
      case "NotIn":
        return value === undefined || !values.includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabel && byExpression;
}

function peerMatches(peer: INetworkPolicyPeer, policyNamespace: string, pod: Pod): boolean {
  if (peer.ipBlock) return true;
  const inNamespace = peer.namespaceSelector
    ? selects(peer.namespaceSelector, pod.namespaceLabels)
    : pod.namespace === policyNamespace;
  // A namespaceSelector alone means every pod of those namespaces.
  return inNamespace && (peer.podSelector ? selects(peer.podSelector, pod.labels) : true);
}

function portMatches(ports: readonly INetworkPolicyPort[] | undefined, destination: Pod, port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? "TCP") !== "TCP") return false;
    if (rule.port === undefined) return true;
    const start = typeof rule.port === "number" ? rule.port : destination.ports[rule.port];
    if (start === undefined) return false;
    return port >= start && port <= (rule.endPort ?? start);
  });
}

function policyTypes(policy: INetworkPolicy): string[] {
  return policy.spec?.policyTypes ?? ["Ingress", ...(policy.spec?.egress ? ["Egress"] : [])];
}

function direction(
  policies: readonly INetworkPolicy[],
  type: "Ingress" | "Egress",
  subject: Pod,
  permits: (policy: INetworkPolicy) => boolean,
): boolean {
  const applying = policies.filter(
    (policy) =>
      (policy.metadata?.namespace ?? "") === subject.namespace &&
      selects(policy.spec?.podSelector ?? {}, subject.labels) &&
      policyTypes(policy).includes(type),
  );
  return applying.length === 0 || applying.some(permits);
}

/** Whether `source` may open a TCP connection to `destination` on `port`. */
export function allows(policies: readonly INetworkPolicy[], source: Pod, destination: Pod, port: number): boolean {
  const egress = direction(policies, "Egress", source, (policy) =>
    (policy.spec?.egress ?? []).some(
      (rule) =>
        (!rule.to ||
          rule.to.length === 0 ||
          rule.to.some((peer) => peerMatches(peer, source.namespace, destination))) &&
        portMatches(rule.ports, destination, port),
    ),
  );
  const ingress = direction(policies, "Ingress", destination, (policy) =>
    (policy.spec?.ingress ?? []).some(
      (rule) =>
        (!rule.from ||
          rule.from.length === 0 ||
          rule.from.some((peer) => peerMatches(peer, destination.namespace, source))) &&
        portMatches(rule.ports, destination, port),
    ),
  );
  return egress && ingress;
}
