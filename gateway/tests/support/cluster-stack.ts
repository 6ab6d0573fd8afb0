/**
 * A whole stack (gateway and the three subgraphs) of its own on a JetStream cluster of 3
 * nats-servers, for tests that kill brokers. Its services use a database of their own in the
 * test stack's Postgres (so their outbox relays publish to the cluster, not to the shared
 * broker) and the test stack's keys (so tests can sign internal tokens for its subgraphs).
 * The shared stack keeps running untouched: the roles keep their passwords.
 */
import { jetstreamManager, type ConsumerInfo, type StreamInfo } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import * as db from "@asky/db";
import { STREAM_NAME } from "@asky/events";
import { findFreePort, liftedRateLimits, startStack, type DatabaseOps, type LogSink, type Stack } from "@asky/stack";
import {
  emptyDatabase,
  eventually,
  stackRolePasswords,
  startNatsCluster,
  testStack,
  type EmptyDatabase,
  type NatsClusterNode,
  type RunningNatsCluster,
} from "@asky/stack/testing";

export interface ClusterStack {
  readonly stack: Stack;
  readonly cluster: RunningNatsCluster;
  readonly database: EmptyDatabase;
  /** The test's own connection to the cluster (every member listed). */
  readonly nc: NatsConnection;
  /** The newest consumer whose name begins with `<name>_` (see OrderedFeedOptions.name), once it has a leader. */
  consumerNamed(name: string, timeoutMs?: number): Promise<ConsumerInfo>;
  /** The feeds (consumer names up to their first `_`) whose consumers `node` hosts now. */
  feedsOn(node: NatsClusterNode): Promise<string[]>;
  /** The node that hosts a consumer (its leader; ordered consumers have one copy). */
  hostOf(consumer: ConsumerInfo): NatsClusterNode;
  /** The stream once it has a leader and every other copy is current. */
  settledStream(timeoutMs?: number): Promise<StreamInfo>;
  /** The gateway's /metrics. */
  metrics(): Promise<string>;
  dispose(): Promise<void>;
}

/** @asky/db as the stack drives it, bootstrapping roles with the passwords they already have. */
const keepingRolePasswords: DatabaseOps = {
  serviceNames: db.serviceNames,
  bootstrapRoles: (adminUrl, _passwords, options) => db.bootstrapRoles(adminUrl, stackRolePasswords(), options),
  migrateService: db.migrateService,
  seedService: db.seedService,
};

export async function startClusterStack(options: { log: LogSink }): Promise<ClusterStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const dispose = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const cluster = await startNatsCluster({ size: 3 });
    cleanups.push(() => cluster.dispose());
    const database = await emptyDatabase("asky_cluster");
    cleanups.push(() => database.drop());
    const shared = {
      NATS_STREAM_REPLICAS: "3",
      ASKY_KEYS_DIR: testStack().keysDir,
    };
    // NATS_URL as a deployment would write it, here after a member that is not there: the
    // stack's reachability check and every service must take any member that answers.
    const nowhere = `nats://127.0.0.1:${await findFreePort()}`;
    const stack = await startStack({
      ports: "free",
      ephemeral: true,
      nodeEnv: "test",
      logLevel: "info",
      databaseUrl: database.adminUrl,
      natsUrl: `${nowhere},${cluster.natsUrl}`,
      database: keepingRolePasswords,
      env: {
        gateway: { ...liftedRateLimits, ...shared },
        users: shared,
        dispensers: shared,
        requests: shared,
      },
      log: options.log,
    });
    cleanups.push(() => stack.stop());
    const nc = await connect({ servers: [...cluster.urls], name: "cluster-failover-test", maxReconnectAttempts: -1 });
    cleanups.push(() => nc.close());

    let listingError: Error | null = null;
    /** Every consumer of the stream, as the cluster lists them now (null while it cannot). */
    const consumers = async (): Promise<ConsumerInfo[] | null> => {
      try {
        // The meta leader waits up to a few seconds for the consumers of a dead node before it
        // answers (and leaves them out): the bound must be longer than that.
        const jsm = await jetstreamManager(nc, { timeout: 6_000 });
        const found: ConsumerInfo[] = [];
        for await (const consumer of jsm.consumers.list(STREAM_NAME)) found.push(consumer);
        return found;
      } catch (error) {
        // A listing during an election goes unanswered: ask again.
        listingError = error as Error;
        return null;
      }
    };

    const consumerNamed = async (name: string, timeoutMs = 15_000): Promise<ConsumerInfo> => {
      let last: ConsumerInfo[] | null = null;
      try {
        return await eventually(
          async () => {
            last = (await consumers()) ?? last;
            // The newest: one left on a node that died comes back with the node until the
            // server drops it (inactive_threshold), though nobody reads it any more.
            const named = (last ?? [])
              .filter((consumer) => consumer.name.startsWith(`${name}_`))
              .sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
            return named[0]?.cluster?.leader ? named[0] : null;
          },
          timeoutMs,
          `a consumer named ${name}_… with a leader`,
        );
      } catch (error) {
        const listed = (last ?? ([] as ConsumerInfo[])).map(
          (consumer) =>
            `${consumer.name} on ${consumer.cluster?.leader ?? "no leader"} at ${consumer.delivered.stream_seq}`,
        );
        throw new Error(
          `${(error as Error).message}; the cluster lists: ${listed.join(", ") || "nothing"} (last listing error: ${listingError?.message ?? "none"})`,
          { cause: error },
        );
      }
    };

    const settledStream = (timeoutMs = 30_000): Promise<StreamInfo> =>
      eventually(
        async () => {
          const jsm = await jetstreamManager(nc, { timeout: 2_000 });
          const info = await jsm.streams.info(STREAM_NAME).catch(() => null);
          const peers = info?.cluster?.replicas ?? [];
          const settled =
            Boolean(info?.cluster?.leader) &&
            peers.length === 2 &&
            peers.every((peer) => peer.current && !peer.offline);
          return settled ? info : null;
        },
        timeoutMs,
        "the stream's leader and 2 current peers",
      );

    return {
      stack,
      cluster,
      database,
      nc,
      consumerNamed,
      async feedsOn(node) {
        const listed = await eventually(consumers, 15_000, "a listing of the stream's consumers");
        return listed
          .filter((consumer) => consumer.cluster?.leader === node.name)
          .map((consumer) => consumer.name.split("_")[0]!);
      },
      hostOf: (consumer) => cluster.node(consumer.cluster!.leader!),
      settledStream,
      async metrics() {
        const response = await fetch(new URL("/metrics", stack.gatewayUrl), {
          headers: { authorization: `Bearer ${stack.metricsToken}` },
        });
        return response.text();
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
