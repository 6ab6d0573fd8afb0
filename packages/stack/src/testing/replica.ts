/**
 * One more process of a subgraph, started on a free port with the test stack's database,
 * NATS and keys: for tests that need a subgraph configured otherwise than the stack's (say
 * LOG_LEVEL=trace, to count the statements an operation costs) or a second replica.
 */
import { inject } from "vitest";
import type { ServiceName } from "@asky/db";
import { findFreePort } from "../ports.js";
import { spawnManaged, type ManagedProcess } from "../processes.js";
import { serviceEntry, tsxImport } from "../services.js";
import { waitForHttp } from "../wait.js";
import { httpBase, listenAddress } from "./listen-address.js";

export interface Replica {
  url: string;
  process: ManagedProcess;
  /** Every line the replica wrote (JSON log lines). */
  lines: string[];
  /**
   * The SQL a replica at LOG_LEVEL=trace sent for one correlation id (x-request-id, which
   * the gateway forwards), in order. Log lines arrive through a pipe: wait a moment first.
   */
  statements(correlationId: string): string[];
  stop(): Promise<void>;
}

interface LogEntry {
  msg?: string;
  correlationId?: string;
  sql?: string;
}

function entryOf(line: string): LogEntry {
  try {
    return JSON.parse(line.slice(line.indexOf("{"))) as LogEntry;
  } catch {
    return {};
  }
}

/**
 * Starts one more `service` subgraph; `extraEnv` wins over the stack's settings, and a PORT (and
 * HOST) in it is where the replica listens and its health is awaited. A replica that exits or
 * does not become healthy is stopped before the error is thrown: a failed start leaves nothing
 * running (holding leases, consuming events) behind it.
 */
export async function startReplica(service: ServiceName, extraEnv: Record<string, string> = {}): Promise<Replica> {
  const { host, port: given } = listenAddress(extraEnv);
  const port = given ?? (await findFreePort());
  const lines: string[] = [];
  const proc = spawnManaged({
    name: `${service}-replica-${port}`,
    command: process.execPath,
    args: ["--import", tsxImport(), serviceEntry(service)],
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      DATABASE_URL: inject("serviceDatabaseUrls")[service],
      NATS_URL: inject("natsUrl"),
      ASKY_KEYS_DIR: inject("keysDir"),
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      ...(service === "requests" ? { DISPENSERS_URL: inject("subgraphUrls").dispensers } : {}),
      ...(service === "users" ? {} : { USERS_URL: inject("subgraphUrls").users }),
      ...extraEnv,
      PORT: String(port),
    },
    log: (_source, line) => lines.push(line),
    keepLines: 50,
  });
  const base = httpBase(host, port);
  try {
    await waitForHttp(`${base}/health`, { name: `${service} replica`, process: proc, timeoutMs: 60_000 });
  } catch (error) {
    await proc.stop({ timeoutMs: 5_000 });
    throw error;
  }
  return {
    url: `${base}/graphql`,
    process: proc,
    lines,
    statements: (correlationId) =>
      lines
        .map(entryOf)
        .filter((entry) => entry.msg === "sql" && entry.correlationId === correlationId)
        .map((entry) => entry.sql ?? ""),
    stop: async () => {
      await proc.stop({ timeoutMs: 10_000 });
    },
  };
}
