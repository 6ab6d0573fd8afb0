/**
 * What the trusted-documents tests share: the documents of their own manifest (and that manifest,
 * written once per test file), requests by hash over HTTP POST and GET, graphql-ws subscribes with
 * the payload as given, the gateway's refusal and subscription counters, and the SDK's manifest.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { gatewayMetrics, gql } from "@asky/stack/testing";

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const ME = "query Me { me { id role } }";
export const ACCEPT = `mutation Accept($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { status version } }`;
export const STATUS = `subscription Status($id: ID!) { requestStatusChanged(requestId: $id) { previousStatus status } }`;
export const AD_HOC = "{ me { nickname } }";
export const documents = [ME, ACCEPT, STATUS];

export function writeManifest(entries: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "asky-trusted-")), "persisted-documents.json");
  writeFileSync(path, JSON.stringify(entries));
  return path;
}
export const manifest = writeManifest(Object.fromEntries(documents.map((document) => [sha256(document), document])));

export interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export const byHash = (document: string, hash = sha256(document)) => ({
  persistedQuery: { version: 1, sha256Hash: hash },
});

export async function post(url: string, body: unknown, token: string | null): Promise<{ status: number; body: Body }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

export async function get(
  url: string,
  params: Record<string, unknown>,
  token: string,
): Promise<{ status: number; body: Body }> {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params))
    target.searchParams.set(key, typeof value === "string" ? value : JSON.stringify(value));
  const response = await fetch(target, {
    headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "true" },
  });
  return { status: response.status, body: (await response.json()) as Body };
}

export const refusedRequests = async (url: string, reason: string) =>
  Number(
    new RegExp(`^asky_gateway_refused_requests_total\\{reason="${reason}"\\} (\\d+)$`, "m").exec(
      await gatewayMetrics(url),
    )?.[1] ?? 0,
  );
export const activeSubscriptions = async (url: string) =>
  Number(/^asky_gateway_active_subscriptions (-?\d+)$/m.exec(await gatewayMetrics(url))?.[1] ?? Number.NaN);

/** A graphql-ws subscribe with the payload as given (query "" and extensions for a hash). */
export function wsSubscribe(
  client: Client,
  payload: { query: string; variables?: Record<string, unknown>; extensions?: unknown },
) {
  const received = {
    data: [] as Record<string, unknown>[],
    errors: [] as { extensions?: Record<string, unknown> }[],
    done: false,
  };
  const stop = client.subscribe(payload as Parameters<Client["subscribe"]>[0], {
    next: (value) => {
      if (value.data) received.data.push(value.data as Record<string, unknown>);
      if (value.errors) received.errors.push(...value.errors);
    },
    error: (error) => {
      received.errors.push(...(Array.isArray(error) ? error : [{ extensions: { thrown: String(error) } }]));
      received.done = true;
    },
    complete: () => (received.done = true),
  });
  return Object.assign(received, { stop });
}

export const wsClient = (url: string, token: string) =>
  createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });

export async function requestState(id: string, token: string) {
  const { body } = await gql<{ request: { status: string; version: number; history: unknown[] } }>(
    "query($id: ID!) { request(id: $id) { status version history { to } } }",
    { id },
    { token },
  );
  return body.data!.request;
}

export const sdkManifest = JSON.parse(
  readFileSync(new URL("../../../packages/client/src/gql/persisted-documents.json", import.meta.url), "utf8"),
) as Record<string, string>;
export const sdkDocument = (name: RegExp) => {
  const found = Object.entries(sdkManifest).find(([, document]) => name.test(document));
  if (!found) throw new Error(`no SDK document matches ${String(name)}`);
  return { hash: found[0], document: found[1] };
};
