import { join } from "node:path";
import type { Stack } from "@asky/stack";
import { findFreePort, liftedRateLimits, serviceNodeFlags } from "@asky/stack";
import { processTree } from "./cpu.js";
import { viewerOf, WARD, type Fixtures } from "./fixtures.js";
import { startChild, type Child } from "./spawn.js";

export const repoRoot = new URL("../../", import.meta.url).pathname;
export const supergraphPath = join(repoRoot, "gateway", "supergraph.graphql");

/** Durations and sizes; `--quick` shrinks them for a smoke run. */
export interface Settings {
  quick: boolean;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  fixedRateSeconds: number;
  connections: number;
  fanoutSizes: number[];
  fanoutEvents: number;
}

export function settingsFrom(argv: readonly string[]): Settings {
  const quick = argv.includes("--quick");
  const sizes = argv
    .find((a) => a.startsWith("--fanout="))
    ?.slice("--fanout=".length)
    .split(",")
    .map(Number);
  const base: Settings = quick
    ? {
        quick,
        warmupSeconds: 1,
        roundSeconds: 3,
        rounds: 2,
        fixedRateSeconds: 3,
        connections: 16,
        fanoutSizes: [1_000],
        fanoutEvents: 3,
      }
    : {
        quick,
        warmupSeconds: 3,
        roundSeconds: 8,
        rounds: 3,
        fixedRateSeconds: 10,
        connections: 16,
        fanoutSizes: [1_000, 10_000],
        fanoutEvents: 8,
      };
  return sizes ? { ...base, fanoutSizes: sizes } : base;
}

export interface Bench {
  stack: Stack;
  fixtures: Fixtures;
  settings: Settings;
  logDir: string;
  /** Base environment of a bench-started gateway, peer or direct client. */
  childEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Starts a bench child (peer, direct client, extra Asky gateway) on a free port. */
  startTarget(
    name: string,
    entry: string,
    options?: { env?: Record<string, string>; nodeArgs?: string[]; readyOnHealth?: boolean },
  ): Promise<Child & { url: string; statsUrl: string }>;
  /** Process groups for CPU accounting: each subgraph, Postgres, NATS, the load generator. */
  backendPids(): Record<string, () => number[]>;
}

let metricsToken = "";

/** Headers for GET /metrics of the bench's gateways. */
export function metricsAuthorization(): Record<string, string> {
  return { authorization: `Bearer ${metricsToken}` };
}

export function createBench(stack: Stack, fixtures: Fixtures, settings: Settings, logDir: string): Bench {
  metricsToken = stack.metricsToken;
  const viewer = viewerOf(fixtures.nurseToken);
  const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    NATS_URL: stack.natsUrl,
    ASKY_KEYS_DIR: stack.keysDir,
    METRICS_TOKEN: stack.metricsToken,
    SUPERGRAPH_PATH: supergraphPath,
    USERS_URL: stack.subgraphUrls.users,
    DISPENSERS_URL: stack.subgraphUrls.dispensers,
    REQUESTS_URL: stack.subgraphUrls.requests,
    BENCH_VIEWER: JSON.stringify(viewer),
    BENCH_WARD: WARD,
    ...liftedRateLimits,
    ...extra,
  });
  const pidOf = (name: keyof Stack["processes"]) => () => {
    const pid = stack.processes[name]?.pid;
    return pid ? [pid] : [];
  };
  return {
    stack,
    fixtures,
    settings,
    logDir,
    childEnv,
    async startTarget(name, entry, options = {}) {
      const port = await findFreePort("127.0.0.1", new Set());
      const statsPort = await findFreePort("127.0.0.1", new Set([port]));
      const url = `http://127.0.0.1:${port}/graphql`;
      const child = await startChild({
        name,
        entry,
        env: childEnv({ PORT: String(port), BENCH_STATS_PORT: String(statsPort), ...options.env }),
        logFile: join(logDir, `${name}.log`),
        // Every gateway, peer or client under test runs with the Node flags Asky's services
        // ship with, so a comparison is about the code and not about GC settings.
        nodeArgs: [...serviceNodeFlags, ...(options.nodeArgs ?? [])],
        // Asky's gateway logs JSON rather than a ready line: poll its /health instead.
        ...(options.readyOnHealth
          ? {
              readyWhen: async () => {
                for (let tries = 0; tries < 600; tries += 1) {
                  const ok = await fetch(new URL("/health", url)).then(
                    (r) => r.ok,
                    () => false,
                  );
                  if (ok) return;
                  await new Promise((resolve) => setTimeout(resolve, 200));
                }
                throw new Error(`${name}: no 200 from /health`);
              },
            }
          : {}),
      });
      return Object.assign(child, { url, statsUrl: `http://127.0.0.1:${statsPort}/` });
    },
    backendPids: () => ({
      users: pidOf("users"),
      dispensers: pidOf("dispensers"),
      requests: pidOf("requests"),
      postgres: () => {
        const pid = stack.processes.postgres?.pid;
        return pid ? processTree(pid) : [];
      },
      nats: pidOf("nats"),
      "load generator": () => [process.pid],
    }),
  };
}
