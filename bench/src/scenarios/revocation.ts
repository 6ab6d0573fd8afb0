/**
 * Scenario 7: what holding internal tokens to revocations costs (README, "Revocation fails
 * closed"). A. The check every subgraph call on behalf of a person now passes: in-process on a
 * proven-current feed, and end to end as a subgraph's answer to a person's call against one on
 * behalf of nobody (which is not checked), alternating. B. The users service's watermark checks
 * per second and its CPU as askers (gateway and subgraph replicas) are added: on the shared
 * beat, which lets their questions share one check, and at random phases, which does not.
 */
import { decodeJwt } from "jose";
import pg from "pg";
import { connectNats, type NatsConnection } from "@asky/events";
import { createLogger, loadConfig } from "@asky/runtime";
import {
  FeedWatermark,
  loadSigningKeys,
  REVOCATION_WATERMARK_SUBJECT,
  revocationEnv,
  signInternalToken,
  startRevocationChecks,
} from "@asky/auth";
import type { Bench } from "../context.js";
import { cpuSeconds } from "../cpu.js";
import { viewerOf } from "../fixtures.js";
import { log } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt, median, percentile } from "../stats.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = createLogger("bench-revocation", "silent");
const config = loadConfig(revocationEnv, {});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Nanoseconds per awaited check of a token no revocation names, the feed proven current. */
async function checkNanoseconds(nats: NatsConnection, userId: string, iterations: number): Promise<number> {
  const checks = startRevocationChecks({
    nats,
    config,
    sessions: () => Promise.reject(new Error("the feed is current: nobody should be asked")),
    logger: quiet,
  });
  try {
    await until(() => checks.feedState() === "current", 15_000, "a current revocation feed");
    const token = { viewer: { id: userId }, sessionId: "00000000-0000-4000-8000-000000000001", issuedAtMs: Date.now() };
    for (let index = 0; index < iterations / 10; index += 1) await checks.check(token);
    const started = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) await checks.check(token);
    return Number(process.hrtime.bigint() - started) / iterations;
  } finally {
    await checks.close();
  }
}

/** Milliseconds of each of `count` calls, one at a time. */
async function timeCalls(url: string, token: string, count: number): Promise<number[]> {
  const body = JSON.stringify({ query: "{ __typename }" });
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const response = await fetch(url, { method: "POST", headers, body });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`subgraph answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

/** One asker per connection, like one replica each. */
interface Askers {
  close(): Promise<void>;
}

async function onTheBeat(natsUrl: string, count: number): Promise<Askers> {
  const connections = await Promise.all(
    Array.from({ length: count }, (_, index) => connectNats(natsUrl, `bench-beat-${index}`, quiet)),
  );
  // Only the questions are measured: a feed that has read everything proves on each answer.
  const position = { lastSequence: Number.MAX_SAFE_INTEGER, streamCreated: null, restart: () => undefined };
  const watermarks = connections.map(
    (nc) =>
      new FeedWatermark(nc, position, { intervalMs: config.watermarkIntervalMs, maxAgeMs: config.feedMaxAgeMs }, quiet),
  );
  for (const watermark of watermarks) watermark.start();
  return {
    async close() {
      for (const watermark of watermarks) watermark.close();
      await Promise.all(connections.map((nc) => nc.close()));
    },
  };
}

async function atRandomPhases(natsUrl: string, count: number): Promise<Askers> {
  const connections = await Promise.all(
    Array.from({ length: count }, (_, index) => connectNats(natsUrl, `bench-phase-${index}`, quiet)),
  );
  const timers: NodeJS.Timeout[] = [];
  for (const nc of connections) {
    const ask = () =>
      void nc.request(REVOCATION_WATERMARK_SUBJECT, undefined, { timeout: config.feedMaxAgeMs }).catch(() => undefined);
    timers.push(
      setTimeout(() => {
        ask();
        timers.push(setInterval(ask, config.watermarkIntervalMs));
      }, Math.random() * config.watermarkIntervalMs),
    );
  }
  return {
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(connections.map((nc) => nc.close()));
    },
  };
}

interface Window {
  checksPerSecond: number;
  usersCpuMsPerSecond: number;
}

/** Statements on the users outbox (each watermark check is one, the relay's poll another) and the users service's CPU. */
async function measureWindow(admin: pg.Pool, usersPid: () => number[], seconds: number): Promise<Window> {
  const scans = async () => {
    const { rows } = await admin.query<{ scans: string }>(
      `select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as scans from pg_stat_user_tables where schemaname = 'users' and relname = 'outbox'`,
    );
    return Number(rows[0]?.scans ?? Number.NaN);
  };
  const cpu = () => usersPid().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  // Backends publish their counters when idle, at most once a second: let the last window's settle.
  await sleep(2_000);
  const [scansBefore, cpuBefore, started] = [await scans(), cpu(), performance.now()];
  await sleep(seconds * 1000);
  await sleep(2_000);
  const wall = (performance.now() - started) / 1000;
  const scansAfter = await scans();
  const cpuAfter = cpu();
  return {
    checksPerSecond: (scansAfter - scansBefore) / wall,
    usersCpuMsPerSecond: ((cpuAfter - cpuBefore) * 1000) / (wall - 2),
  };
}

export async function revocation(bench: Bench): Promise<Section> {
  const out = section("revocation", "7. Revocation checks at the subgraphs", ["measure", "setting", "value", "unit"]);
  const { stack, fixtures, settings } = bench;
  const nats = await connectNats(stack.natsUrl, "bench-revocation", quiet);
  const admin = new pg.Pool({ connectionString: stack.adminDatabaseUrl, max: 1 });
  try {
    // A. The check itself, and a subgraph call with and without it.
    const { viewer, sessionId } = viewerOf(fixtures.nurseToken);
    const ns = await checkNanoseconds(nats, viewer.id, settings.quick ? 200_000 : 1_000_000);
    out.rows.push(["one check, feed current (in-process, awaited)", "map lookup + proof age", fmt(ns, 0), "ns"]);

    const [key] = await loadSigningKeys({
      owner: "gateway",
      jwks: undefined,
      keysDir: stack.keysDir,
      production: false,
    });
    const accessIssuedAtMs = Number(decodeJwt(fixtures.nurseToken).iat_ms);
    const person = await signInternalToken(key, {
      issuer: "gateway",
      audience: "dispensers",
      viewer,
      sessionId,
      accessIssuedAtMs,
    });
    const nobody = await signInternalToken(key, { issuer: "gateway", audience: "dispensers", viewer: null });
    const url = stack.subgraphUrls.dispensers;
    const calls = settings.quick ? 300 : 1_500;
    const samples: Record<"person" | "nobody", number[][]> = { person: [], nobody: [] };
    await timeCalls(url, person, 200);
    await timeCalls(url, nobody, 200);
    for (let round = 0; round < settings.rounds; round += 1) {
      const order = round % 2 === 0 ? (["person", "nobody"] as const) : (["nobody", "person"] as const);
      for (const who of order) samples[who].push(await timeCalls(url, who === "person" ? person : nobody, calls));
    }
    const p50 = (who: "person" | "nobody") => median(samples[who].map((times) => percentile(times, 50)));
    const p99 = (who: "person" | "nobody") => median(samples[who].map((times) => percentile(times, 99)));
    out.rows.push(
      [
        "dispensers `{ __typename }`, one at a time",
        "on behalf of a person (checked)",
        `${fmt(p50("person"))} / ${fmt(p99("person"))}`,
        "p50 / p99 ms",
      ],
      [
        "dispensers `{ __typename }`, one at a time",
        "on behalf of nobody (not checked)",
        `${fmt(p50("nobody"))} / ${fmt(p99("nobody"))}`,
        "p50 / p99 ms",
      ],
    );
    out.notes.push(
      `p50 of a person's call minus nobody's, per round: ${samples.person.map((times, round) => fmt(percentile(times, 50) - percentile(samples.nobody[round]!, 50), 3)).join(", ")} ms.`,
    );

    // B. The users service's side of the proof, as askers are added.
    const usersPid = () => {
      const pid = stack.processes.users?.pid;
      return pid ? [pid] : [];
    };
    const seconds = settings.quick ? 6 : 20;
    const askers = 24;
    const windows: [string, () => Promise<Askers | null>][] = [
      ["the stack alone (gateway + 3 subgraphs)", async () => null],
      [`+ ${askers} askers on the shared beat`, () => onTheBeat(stack.natsUrl, askers)],
      [`+ ${askers} askers at random phases`, () => atRandomPhases(stack.natsUrl, askers)],
    ];
    for (const [label, start] of windows) {
      log(`  revocation watermarks: ${label}`);
      const running = await start();
      try {
        const window = await measureWindow(admin, usersPid, seconds);
        out.rows.push(
          [
            "users outbox statements (watermark checks + relay poll)",
            label,
            fmt(window.checksPerSecond, 1),
            "per second",
          ],
          ["users service CPU", label, fmt(window.usersCpuMsPerSecond, 1), "ms per second"],
        );
      } finally {
        await running?.close();
      }
    }
    out.notes.push(
      `Each asker sends ${fmt(1000 / config.watermarkIntervalMs, 0)} questions a second on core NATS (a question and its answer, ~100 bytes each) whatever its phase; what the beat saves is the users service's checks (one indexed query and two JetStream API calls each).`,
    );
  } finally {
    await admin.end();
    await nats.close();
  }
  return out;
}
