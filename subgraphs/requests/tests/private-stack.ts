/**
 * A requests service of its own for tests that must break things the shared stack relies on:
 * its own database (the shared one's outbox is published by the stack's relay, which holds
 * the relay lock), its own nats-server that can be stopped and restarted on the same store,
 * and the requests process itself, talking to the shared stack's dispensers service.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type {} from "@asky/stack/testing";
import { bootstrapRoles, migrateService, serviceNames, type ServiceName } from "@asky/db";
import { findFreePort, serviceEntry, silentSink, spawnManaged, startNats, waitForHttp, type ManagedProcess, type RunningNats } from "@asky/stack";
import { tsxImport } from "@asky/stack/services";
import { loadSigningKeys, signInternalToken, type Viewer } from "@asky/common";

/** A database of its own in the stack's cluster, with the service roles and requests' migrations. */
async function privateDatabase(): Promise<{ requestsUrl: string; adminUrl: string; drop(): Promise<void> }> {
  const name = `asky_req_${randomBytes(4).toString("hex")}`;
  const stackAdmin = inject("adminDatabaseUrl");
  const admin = new pg.Client({ connectionString: stackAdmin });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const adminUrl = new URL(stackAdmin);
  adminUrl.pathname = `/${name}`;
  // Roles are cluster-wide: keep the passwords the stack's services log in with.
  const passwords = {} as Record<ServiceName, string>;
  for (const service of serviceNames) passwords[service] = decodeURIComponent(new URL(inject("serviceDatabaseUrls")[service]).password);
  const urls = await bootstrapRoles(adminUrl.toString(), passwords);
  await migrateService("requests", urls.requests);
  return {
    requestsUrl: urls.requests,
    adminUrl: adminUrl.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: stackAdmin });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface PrivateRequestsStack {
  readonly url: string;
  readonly natsUrl: string;
  readonly adminUrl: string;
  stopNats(): Promise<void>;
  startNats(): Promise<void>;
  call<T>(viewer: Viewer, query: string, variables: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }>;
  dispose(): Promise<void>;
}

export async function startPrivateRequests(): Promise<PrivateRequestsStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const database = await privateDatabase();
    cleanups.push(database.drop);

    const natsPort = await findFreePort();
    const storeDir = await mkdtemp(join(tmpdir(), "asky-requests-nats-"));
    cleanups.push(() => rm(storeDir, { recursive: true, force: true }));
    let nats: RunningNats | null = null;
    const startOwnNats = async () => {
      nats = await startNats({ port: natsPort, storeDir, log: silentSink, autoInstall: false });
    };
    const stopOwnNats = async () => {
      await nats?.stop();
      nats = null;
    };
    await startOwnNats();
    cleanups.push(stopOwnNats);

    const port = await findFreePort();
    const proc: ManagedProcess = spawnManaged({
      name: `requests-private-${port}`,
      command: process.execPath,
      args: ["--import", tsxImport(), serviceEntry("requests")],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: database.requestsUrl,
        NATS_URL: `nats://127.0.0.1:${natsPort}`,
        DISPENSERS_URL: inject("subgraphUrls").dispensers,
        ASKY_KEYS_DIR: inject("keysDir"),
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
      },
      log: silentSink,
      keepLines: 100,
    });
    cleanups.push(async () => {
      await proc.stop({ timeoutMs: 10_000 });
    });
    await waitForHttp(`http://127.0.0.1:${port}/health`, { name: "private requests", process: proc, timeoutMs: 60_000 });

    const [gatewayKey] = await loadSigningKeys({ owner: "gateway", jwks: undefined, keysDir: inject("keysDir"), production: false });
    const url = `http://127.0.0.1:${port}/graphql`;
    return {
      url,
      natsUrl: `nats://127.0.0.1:${natsPort}`,
      adminUrl: database.adminUrl,
      stopNats: stopOwnNats,
      startNats: startOwnNats,
      async call<T>(viewer: Viewer, query: string, variables: Record<string, unknown>) {
        const token = await signInternalToken(gatewayKey, { issuer: "gateway", audience: "requests", viewer });
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: T; errors?: unknown[] };
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
