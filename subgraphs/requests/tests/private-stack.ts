/**
 * A requests service of its own for tests that must break things the shared stack relies on:
 * its own database (the shared one's outbox is published by the stack's relay, which holds
 * the relay lock), its own nats-server that can be stopped and restarted on the same store,
 * and the requests process itself, talking to the shared stack's dispensers service.
 */
import type { Viewer } from "@asky/contracts";
import { asSubgraph, privateDatabase, startPrivateNats, startReplica, type GraphQLResponse } from "@asky/stack/testing";

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

    // No users service answers on this nats-server: every person's call is vouched for over
    // HTTP, by the shared stack's users service (the replica's USERS_URL).
    const requests = await startReplica("requests", {
      DATABASE_URL: database.serviceUrl,
      NATS_URL: nats.url,
      LOG_LEVEL: "warn",
    });
    cleanups.push(() => requests.stop());

    return {
      url: requests.url,
      natsUrl: nats.url,
      adminUrl: database.adminUrl,
      stopNats: nats.stop,
      startNats: nats.start,
      call: <T>(viewer: Viewer, query: string, variables: Record<string, unknown>) =>
        asSubgraph("requests", viewer, { url: requests.url }).call<T>(query, variables),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
