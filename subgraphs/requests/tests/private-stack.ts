/**
 * A requests service of its own for tests that must break things the shared stack relies on:
 * its own database (the shared one's outbox is published by the stack's relay, which holds
 * the relay lock), its own nats-server that can be stopped and restarted on the same store,
 * and the requests process itself, talking to the shared stack's dispensers service.
 */
import { inject } from "vitest";
import type {} from "@asky/stack/testing";
import { privateDatabase } from "../../../tests/support/private-database.js";
import { startPrivateNats } from "../../../tests/support/private-nats.js";
import { findFreePort, serviceEntry, silentSink, spawnManaged, waitForHttp, type ManagedProcess } from "@asky/stack";
import { tsxImport } from "@asky/stack/services";
import { loadSigningKeys, signInternalToken, type Viewer } from "@asky/common";

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
    const database = await privateDatabase("requests");
    cleanups.push(database.drop);

    const nats = await startPrivateNats();
    cleanups.push(nats.dispose);

    const port = await findFreePort();
    const proc: ManagedProcess = spawnManaged({
      name: `requests-private-${port}`,
      command: process.execPath,
      args: ["--import", tsxImport(), serviceEntry("requests")],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: database.serviceUrl,
        NATS_URL: nats.url,
        DISPENSERS_URL: inject("subgraphUrls").dispensers,
        // No users service answers on this nats-server: every person's call is vouched for over HTTP.
        USERS_URL: inject("subgraphUrls").users,
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
      natsUrl: nats.url,
      adminUrl: database.adminUrl,
      stopNats: nats.stop,
      startNats: nats.start,
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
