/**
 * A JetStream cluster of nats-servers on loopback, for tests that need what only a cluster
 * does: replicated streams, leader elections, a broker lost while the others carry on.
 *
 * nats-server 2.9 takes JetStream clustering from a configuration file only (no flags for
 * server_name or routes), so each node gets one, written with its store under one folder.
 * Each node keeps its ports and store across kill/start, as a crashed pod does.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager, StorageType } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { StackError } from "./errors.js";
import { silentSink, type LogSink } from "./log.js";
import { ensureNatsServer } from "./nats.js";
import { findFreePort } from "./ports.js";
import { spawnManaged, type ManagedProcess } from "./processes.js";
import { waitForTcp, waitUntil } from "./wait.js";

export interface NatsClusterOptions {
  /** Nodes; JetStream needs a majority up to elect leaders. Default 3. */
  size?: number;
  /** Default `asky-test`. */
  clusterName?: string;
  /** Where the configuration files and stores go; a fresh temporary folder when absent (removed by `dispose`). */
  dir?: string;
  log?: LogSink;
  /** Install nats-server with apt-get when missing and running as root. Default false. */
  autoInstall?: boolean;
  startTimeoutMs?: number;
}

export interface NatsClusterNode {
  /** Its server_name (`n1`, `n2`...), as stream and consumer info name leaders and replicas. */
  readonly name: string;
  readonly url: string;
  readonly running: boolean;
  readonly process: ManagedProcess | null;
  /** Ends the server at once (default SIGKILL: no goodbye to the cluster) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on its ports and store, and waits until it accepts connections. */
  start(): Promise<void>;
}

export interface RunningNatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL. */
  readonly urls: readonly string[];
  /** The same as NATS_URL would list them (comma-separated). */
  readonly natsUrl: string;
  /** The node of that server_name; throws for an unknown one. */
  node(name: string): NatsClusterNode;
  /**
   * Waits until JetStream answers account requests (a metadata leader is elected) and can
   * place a stream on every node (every member has joined the metadata group).
   */
  waitForJetStream(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes the folder if this created it. */
  dispose(): Promise<void>;
}

function routeList(host: string, clusterPorts: readonly number[], except: number): string {
  return clusterPorts
    .filter((_port, index) => index !== except)
    .map((port) => `nats-route://${host}:${port}`)
    .join(", ");
}

function nodeConfig(options: {
  name: string;
  host: string;
  port: number;
  clusterName: string;
  clusterPort: number;
  routes: string;
  storeDir: string;
}): string {
  return [
    `server_name: ${JSON.stringify(options.name)}`,
    `listen: "${options.host}:${options.port}"`,
    `jetstream {`,
    `  store_dir: ${JSON.stringify(options.storeDir)}`,
    `}`,
    `cluster {`,
    `  name: ${JSON.stringify(options.clusterName)}`,
    `  listen: "${options.host}:${options.clusterPort}"`,
    `  routes: [${options.routes}]`,
    `}`,
    "",
  ].join("\n");
}

/** Starts every node, waits until each accepts connections and JetStream answers. */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<RunningNatsCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new StackError(`A NATS cluster needs at least one node, got ${size}.`);
  const host = "127.0.0.1";
  const log = options.log ?? silentSink;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const binary = await ensureNatsServer(log, options.autoInstall ?? false);
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "asky-nats-cluster-")));

  const taken = new Set<number>();
  const freePort = async (): Promise<number> => {
    const port = await findFreePort(host, taken);
    taken.add(port);
    return port;
  };
  const clientPorts: number[] = [];
  const clusterPorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    clusterPorts.push(await freePort());
  }

  const nodes = await Promise.all(
    clientPorts.map(async (port, index) => {
      const name = `n${index + 1}`;
      const storeDir = join(dir, name);
      const configFile = join(dir, `${name}.conf`);
      await mkdir(storeDir, { recursive: true });
      await writeFile(
        configFile,
        nodeConfig({
          name,
          host,
          port,
          clusterName: options.clusterName ?? "asky-test",
          clusterPort: clusterPorts[index]!,
          routes: routeList(host, clusterPorts, index),
          storeDir,
        }),
      );
      return clusterNode(name, binary, configFile, host, port, log, startTimeoutMs);
    }),
  );

  const urls = nodes.map((node) => node.url);
  const dispose = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.kill("SIGTERM")));
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };

  const cluster: RunningNatsCluster = {
    nodes,
    urls,
    natsUrl: urls.join(","),
    node(name) {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new StackError(`The NATS cluster has no node named ${name}.`);
      return found;
    },
    waitForJetStream: (timeoutMs = startTimeoutMs) => waitForJetStream(urls, size, timeoutMs),
    dispose,
  };

  try {
    // Started together: each waits for routes to the others before JetStream elects a leader.
    await Promise.all(nodes.map((node) => node.start()));
    await cluster.waitForJetStream();
  } catch (error) {
    await dispose();
    throw error;
  }
  return cluster;
}

function clusterNode(
  name: string,
  binary: string,
  configFile: string,
  host: string,
  port: number,
  log: LogSink,
  startTimeoutMs: number,
): NatsClusterNode {
  let proc: ManagedProcess | null = null;
  return {
    name,
    url: `nats://${host}:${port}`,
    get running() {
      return proc !== null && proc.exitInfo === undefined;
    },
    get process() {
      return proc;
    },
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      const current = proc;
      proc = null;
      // A paused server would ignore SIGTERM until the stop's timeout.
      if (current?.pid !== undefined && current.exitInfo === undefined) process.kill(current.pid, "SIGCONT");
      await current?.stop({ signal, timeoutMs: 10_000 });
    },
    async start() {
      if (proc !== null && proc.exitInfo === undefined) return;
      const started = spawnManaged({
        name: `nats-${name}`,
        command: binary,
        args: ["-c", configFile],
        log,
        stopSignal: "SIGTERM",
      });
      proc = started;
      try {
        await waitForTcp(host, port, { name: `nats ${name}`, process: started, timeoutMs: startTimeoutMs });
      } catch (error) {
        proc = null;
        await started.stop({ signal: "SIGKILL" });
        throw error;
      }
    },
  };
}

const PROBE_STREAM = "ASKY_CLUSTER_PROBE";

/**
 * A metadata leader is not enough: on a loaded machine it is elected while a member has not
 * joined the metadata group yet, and a stream with one copy per node is then refused with
 * "no suitable peers for placement". Placing (and removing) such a stream is the one test of
 * what callers of a started cluster need.
 */
async function waitForJetStream(urls: readonly string[], size: number, timeoutMs: number): Promise<void> {
  const nc = await connect({ servers: [...urls], name: "asky-cluster-probe", timeout: 2_000 });
  try {
    await waitUntil(
      `JetStream can place ${size} copies of a stream`,
      async () => {
        const jsm = await jetstreamManager(nc, { timeout: 2_000, checkAPI: false });
        await jsm.getAccountInfo();
        try {
          await jsm.streams.add({
            name: PROBE_STREAM,
            // Outside the ASKY stream's asky.>: JetStream refuses streams whose subjects overlap,
            // so a probe under it would fail for good once that stream exists.
            subjects: ["_probe.asky-cluster"],
            storage: StorageType.Memory,
            num_replicas: size,
          });
          return true;
        } finally {
          // An add nats-server 2.9 did not answer may still land: remove it either way.
          await jsm.streams.delete(PROBE_STREAM).catch(() => undefined);
        }
      },
      { name: "NATS cluster", timeoutMs, intervalMs: 100 },
    );
  } finally {
    await nc.close();
  }
}
