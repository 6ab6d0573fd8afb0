/**
 * A requests service of its own for tests that must break things the shared stack relies on:
 * its own database (the shared one's outbox is published by the stack's relay, which holds
 * the relay lock), its own nats-server that can be stopped and restarted on the same store,
 * and the requests process itself, talking to the shared stack's dispensers service.
 */
import { inject } from "vitest";
import type { Viewer } from "@asky/contracts";
import { findFreePort, serviceEntry, silentSink, spawnManaged, waitForHttp, type ManagedProcess } from "@asky/stack";
import { tsxImport } from "@asky/stack/services";
import { asSubgraph, privateDatabase, startPrivateNats, type GraphQLResponse } from "@asky/stack/testing";

export interface PrivateRequestsStack {
  readonly url: string;
  readonly natsUrl: string;
  readonly adminUrl: string;
  stopNats(): Promise<void>;
  startNats(): Promise<void>;
  /** One operation straight to this requests service, as `viewer`. */
  call<T>(viewer: Viewer, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<T>>;
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
    await waitForHttp(`http://127.0.0.1:${port}/health`, {
      name: "private requests",
      process: proc,
      timeoutMs: 60_000,
    });

    const url = `http://127.0.0.1:${port}/graphql`;
    return {
      url,
      natsUrl: nats.url,
      adminUrl: database.adminUrl,
      stopNats: nats.stop,
      startNats: nats.start,
      call: <T>(viewer: Viewer, query: string, variables: Record<string, unknown>) =>
        asSubgraph("requests", viewer, { url }).call<T>(query, variables),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
