/**
 * A users service and a gateway of their own, on a nats-server of their own, for tests that
 * restart, stall or stop what the shared stack relies on. The users service has its own
 * database (seeded with the demo accounts), so its outbox is published to this nats-server
 * only; the gateway reaches the shared stack's dispensers and requests subgraphs.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort, silentSink, startNats, type RunningNats } from "@asky/stack";
import { privateDatabase } from "../../../tests/support/private-database.js";
import { startReplica, type Replica } from "../../../tests/support/replica.js";
import { startExtraGateway } from "./extra-gateway.js";

export interface PrivateNatsServer {
  readonly url: string;
  /** Stops the server and starts it again on the same port and JetStream store. */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing, like a hung broker. */
  pause(): void;
  resume(): void;
}

export interface PrivateUsersStack {
  readonly gatewayUrl: string;
  readonly gateway: { readonly process: ChildProcess; stderr(): string };
  readonly users: Replica;
  readonly nats: PrivateNatsServer;
  readonly databaseUrl: string;
  /** The gateway's /metrics, as Prometheus scrapes it. */
  metrics(): Promise<string>;
  dispose(): Promise<void>;
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) throw new Error("process has no pid");
  process.kill(pid, name);
}

export async function startPrivateUsersStack(gatewayEnv: Record<string, string> = {}): Promise<PrivateUsersStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const database = await privateDatabase("users", { seed: true });
    cleanups.push(database.drop);

    const port = await findFreePort();
    const storeDir = await mkdtemp(join(tmpdir(), "asky-users-nats-"));
    cleanups.push(() => rm(storeDir, { recursive: true, force: true }));
    let running: RunningNats | null = null;
    const start = async () => {
      running = await startNats({ port, storeDir, log: silentSink, autoInstall: false });
    };
    const stop = async () => {
      // A paused server would ignore SIGTERM until the stop's timeout.
      if (running?.process.pid !== undefined) process.kill(running.process.pid, "SIGCONT");
      await running?.stop();
      running = null;
    };
    await start();
    cleanups.push(stop);
    const natsUrl = `nats://127.0.0.1:${port}`;
    const nats: PrivateNatsServer = {
      url: natsUrl,
      async restart() {
        await stop();
        await start();
      },
      pause: () => signal(running?.process.pid, "SIGSTOP"),
      resume: () => signal(running?.process.pid, "SIGCONT"),
    };

    const users = await startReplica("users", { DATABASE_URL: database.serviceUrl, NATS_URL: natsUrl, LOG_LEVEL: "warn" });
    cleanups.push(() => users.stop());
    const metricsToken = randomBytes(16).toString("hex");
    const gateway = await startExtraGateway({ NATS_URL: natsUrl, USERS_URL: users.url, METRICS_TOKEN: metricsToken, ...gatewayEnv });
    cleanups.push(async () => {
      if (gateway.process.exitCode !== null) return;
      const exited = new Promise((resolve) => gateway.process.once("exit", resolve));
      gateway.stop();
      await exited;
    });
    const metrics = async () => {
      const response = await fetch(new URL("/metrics", gateway.url), { headers: { authorization: `Bearer ${metricsToken}` } });
      return response.text();
    };
    return { gatewayUrl: gateway.url, gateway, users, nats, databaseUrl: database.adminUrl, metrics, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** One sample of a scrape, e.g. `metricValue(text, 'asky_gateway_session_checks_total{outcome="revoked"}')`; 0 when absent. */
export function metricValue(scrape: string, sample: string): number {
  const line = scrape.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
