/**
 * Scenario 5: `npm start` (dependencies installed) until GET /health on the gateway answers
 * 200: once on an empty data folder (initdb, migrations, demo seed) and once more on the same
 * folder (what a developer sees every day), on free ports so nothing else is disturbed.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "@asky/stack";
import type { Bench } from "../context.js";
import { repoRoot } from "../context.js";
import { log } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt } from "../stats.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startOnce(label: string, dataDir: string, logFile: string): Promise<number> {
  const taken = new Set<number>();
  const ports: Record<string, number> = {};
  for (const name of [
    "GATEWAY_PORT",
    "USERS_PORT",
    "DISPENSERS_PORT",
    "REQUESTS_PORT",
    "REPORTS_PORT",
    "POSTGRES_PORT",
    "NATS_PORT",
  ]) {
    ports[name] = await findFreePort("127.0.0.1", taken);
    taken.add(ports[name]);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    ASKY_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  };
  for (const name of ["DATABASE_URL", "NATS_URL", "NODE_ENV"]) delete env[name];
  const output = createWriteStream(logFile, { flags: "a" });
  const started = performance.now();
  // Own process group, so that the whole tree can be stopped by its group id afterwards.
  const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["start"], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const health = `http://127.0.0.1:${ports.GATEWAY_PORT}/health`;
  let seconds: number;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode} (see ${logFile})`);
      if (performance.now() - started > 180_000) throw new Error(`no 200 from ${health} within 180 s`);
      const ok = await fetch(health, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) {
        seconds = (performance.now() - started) / 1000;
        break;
      }
      await sleep(50);
    }
    log(`  npm start (${label}): 200 from /health after ${fmt(seconds)} s`);
    return seconds;
  } finally {
    const group = -child.pid!;
    try {
      process.kill(group, "SIGINT");
    } catch {
      // already gone
    }
    const killer = setTimeout(() => {
      try {
        process.kill(group, "SIGKILL");
      } catch {
        // already gone
      }
    }, 30_000);
    await exited;
    clearTimeout(killer);
    await sleep(500);
    output.end();
  }
}

export async function coldStart(bench: Bench): Promise<Section> {
  const out = section("cold-start", "5. Cold start: `npm start` → 200 from /health", ["data folder", "seconds"]);
  const dataDir = await mkdtemp(join(tmpdir(), "asky-bench-start-"));
  await chmod(dataDir, 0o755); // embedded Postgres runs as `postgres` when we are root
  try {
    const logFile = join(bench.logDir, "npm-start.log");
    const first = await startOnce("empty data folder", join(dataDir, "data"), logFile);
    const again = await startOnce("existing data folder", join(dataDir, "data"), logFile);
    out.rows.push(["empty (initdb, migrate, seed)", fmt(first)], ["existing (restart)", fmt(again)]);
    out.notes.push(
      "Measured from spawning `npm start` (bootstrap's dependency check included; dependencies already installed) to the first 200 from the gateway's /health, which needs the supergraph loaded and all three subgraphs healthy.",
    );
    return out;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
