/**
 * deploy/kubernetes rendered the way `kubectl apply -k` would send it, each object checked
 * against its Kubernetes (or CloudNativePG) schema and then typed by those same models.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";
import { ConfigMap, Namespace, Secret, Service, ServiceAccount, type IContainer } from "kubernetes-models/v1";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { Deployment, StatefulSet, type IDeployment, type IStatefulSet } from "kubernetes-models/apps/v1";
import { Job, type IJob } from "kubernetes-models/batch/v1";
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget, type IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Ingress, NetworkPolicy, type INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Role, RoleBinding, type IRole, type IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Cluster, type ICluster } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1";
import type { IConfigMap, ISecret, IService } from "kubernetes-models/v1";
import { kustomize } from "./kubectl.js";

export const kubernetesRoot = fileURLToPath(new URL("../../../deploy/kubernetes/", import.meta.url));
export const overlays = ["dev", "production"] as const;
export type OverlayName = (typeof overlays)[number];

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: never): { validate(): void };
}

/** Every kind the manifests may use; anything else is an error, not a skipped check. */
const models: readonly ModelClass[] = [
  Namespace,
  ServiceAccount,
  ConfigMap,
  Secret,
  Service,
  Deployment,
  StatefulSet,
  Job,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  NetworkPolicy,
  Ingress,
  Role,
  RoleBinding,
  Cluster,
];
const modelOf = new Map(models.map((model) => [`${model.apiVersion}/${model.kind}`, model]));

export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
}

/** A pod template and what owns it (Deployment, StatefulSet or Job). */
export interface Workload {
  readonly kind: "Deployment" | "StatefulSet" | "Job";
  readonly name: string;
  readonly template: IPodTemplateSpec;
}

export interface ImageEntry {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
}

export interface Rendered {
  readonly overlay: OverlayName;
  readonly objects: readonly RenderedObject[];
  readonly deployments: readonly IDeployment[];
  readonly statefulSets: readonly IStatefulSet[];
  readonly jobs: readonly IJob[];
  readonly services: readonly IService[];
  readonly configMaps: readonly IConfigMap[];
  readonly secrets: readonly ISecret[];
  readonly networkPolicies: readonly INetworkPolicy[];
  readonly autoscalers: readonly IHorizontalPodAutoscaler[];
  readonly disruptionBudgets: readonly IPodDisruptionBudget[];
  readonly roles: readonly IRole[];
  readonly roleBindings: readonly IRoleBinding[];
  readonly postgresClusters: readonly ICluster[];
  readonly workloads: readonly Workload[];
  /** The overlay's kustomization.yaml `images:` entries. */
  readonly images: readonly ImageEntry[];
}

function isRenderedObject(value: unknown): value is RenderedObject {
  if (typeof value !== "object" || value === null) return false;
  const object = value as Partial<RenderedObject>;
  return typeof object.apiVersion === "string" && typeof object.kind === "string" && !!object.metadata?.name;
}

/** Throws, naming the object, unless its schema accepts it. */
export function validateObject(object: RenderedObject): void {
  const model = modelOf.get(`${object.apiVersion}/${object.kind}`);
  if (!model) throw new Error(`${object.kind} ${object.metadata.name}: no schema known for ${object.apiVersion}`);
  try {
    new model(object as never).validate();
  } catch (error) {
    throw new Error(
      `${object.kind} ${object.metadata.name}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Kustomize folds a long Secret value's base64 over several lines; the API server's decoder
 * skips the line breaks, the schema's "byte" format does not: join them as the server reads them.
 */
function unfoldSecretData(object: RenderedObject): RenderedObject {
  if (object.kind !== "Secret" || !("data" in object)) return object;
  const data = (object as { data?: Record<string, string> }).data ?? {};
  const unfolded = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, value.replace(/\s+/g, "")]));
  return { ...object, data: unfolded } as RenderedObject;
}

export function parseManifests(text: string): RenderedObject[] {
  return parseAllDocuments(text).map((document, index) => {
    const value: unknown = document.toJS();
    if (!isRenderedObject(value)) throw new Error(`document ${index} is not a Kubernetes object`);
    return unfoldSecretData(value);
  });
}

/** Indexes validated objects by kind; the model guards narrow them to their interfaces. */
export function indexManifests(overlay: OverlayName, objects: readonly RenderedObject[]): Rendered {
  for (const object of objects) validateObject(object);
  const ofKind = <T>(is: (value: unknown) => value is T): T[] => (objects as readonly unknown[]).filter(is);
  const deployments = ofKind(Deployment.is);
  const statefulSets = ofKind(StatefulSet.is);
  const jobs = ofKind(Job.is);
  const templateOf = (owner: { metadata?: { name?: string }; spec?: { template: IPodTemplateSpec } }) =>
    owner.spec?.template ?? {};
  const kustomization = parse(readFileSync(`${kubernetesRoot}overlays/${overlay}/kustomization.yaml`, "utf8")) as {
    images?: ImageEntry[];
  };
  return {
    overlay,
    objects,
    deployments,
    statefulSets,
    jobs,
    services: ofKind(Service.is),
    configMaps: ofKind(ConfigMap.is),
    secrets: ofKind(Secret.is),
    networkPolicies: ofKind(NetworkPolicy.is),
    autoscalers: ofKind(HorizontalPodAutoscaler.is),
    disruptionBudgets: ofKind(PodDisruptionBudget.is),
    roles: ofKind(Role.is),
    roleBindings: ofKind(RoleBinding.is),
    postgresClusters: ofKind(Cluster.is),
    workloads: [
      ...deployments.map((d) => ({
        kind: "Deployment" as const,
        name: d.metadata?.name ?? "",
        template: templateOf(d),
      })),
      ...statefulSets.map((s) => ({
        kind: "StatefulSet" as const,
        name: s.metadata?.name ?? "",
        template: templateOf(s),
      })),
      ...jobs.map((j) => ({ kind: "Job" as const, name: j.metadata?.name ?? "", template: templateOf(j) })),
    ],
    images: kustomization.images ?? [],
  };
}

const cache = new Map<OverlayName, Promise<Rendered>>();

/** `kubectl kustomize deploy/kubernetes/overlays/<overlay>`, validated and indexed (once per file). */
export function renderOverlay(overlay: OverlayName): Promise<Rendered> {
  let rendered = cache.get(overlay);
  if (!rendered) {
    rendered = kustomize(`${kubernetesRoot}overlays/${overlay}`).then((text) =>
      indexManifests(overlay, parseManifests(text)),
    );
    cache.set(overlay, rendered);
  }
  return rendered;
}

/** Every container of a pod template, init containers included. */
export function containersOf(template: IPodTemplateSpec): IContainer[] {
  return [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])];
}

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> = {}) {
  return !!selector && Object.entries(selector).every(([key, value]) => labels[key] === value);
}
