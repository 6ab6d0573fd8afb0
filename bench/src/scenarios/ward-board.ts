/**
 * Scenario 1: the ward board through Asky's gateway against the same data fetched straight
 * from the subgraphs (bench/src/targets/direct.ts), paired round by round. The direct client
 * shares nothing between concurrent requests, so the overhead ratio is taken against a second
 * Asky gateway with in-flight sharing off (bench/src/targets/asky-no-sharing.ts): like for like.
 */
import type { Bench } from "../context.js";
import { checkWardBoard, wardBoardBody } from "../fixtures.js";
import { cpuPerRequest, log, pairedRounds, type Contender, type Measured } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt, median } from "../stats.js";

const directEntry = new URL("../targets/direct.ts", import.meta.url).pathname;

const ASKY = "Asky gateway";
const ASKY_OFF = "Asky, sharing off";
const DIRECT = "direct to subgraphs";

function byRound(measured: Measured[], name: string): Measured[] {
  return measured.filter((m) => m.name === name).sort((a, b) => a.round - b.round);
}

export async function wardBoard(bench: Bench): Promise<Section> {
  const { settings, stack, fixtures } = bench;
  const out = section("ward-board", "1. Ward board: gateway vs. straight from the subgraphs", [
    "target",
    "load",
    "req/s (median)",
    "p50 ms",
    "p99 ms",
    "errors",
    "gateway-side CPU ms/req",
    "subgraphs+PG CPU ms/req",
  ]);
  const direct = await bench.startTarget("direct", directEntry);
  const askyOff = await bench.startTarget(
    "asky-gateway-sharing-off-1",
    new URL("../targets/asky-no-sharing.ts", import.meta.url).pathname,
    { readyOnHealth: true },
  );
  try {
    await checkWardBoard(stack.gatewayUrl, fixtures.nurseToken);
    await checkWardBoard(askyOff.url, fixtures.nurseToken);
    await checkWardBoard(direct.url);
    const auth = { authorization: `Bearer ${fixtures.nurseToken}` };
    const gatewayPid = stack.processes.gateway!.pid!;
    const contenders = (rate?: number, connections = settings.connections): Contender[] => [
      {
        name: ASKY,
        pid: gatewayPid,
        options: { url: stack.gatewayUrl, body: wardBoardBody, headers: auth, connections, ...(rate ? { rate } : {}) },
      },
      {
        name: ASKY_OFF,
        pid: askyOff.pid,
        options: { url: askyOff.url, body: wardBoardBody, headers: auth, connections, ...(rate ? { rate } : {}) },
      },
      {
        name: DIRECT,
        pid: direct.pid,
        options: { url: direct.url, body: wardBoardBody, connections, ...(rate ? { rate } : {}) },
      },
    ];

    const rows = (label: string, measured: Measured[]) => {
      for (const name of [ASKY, ASKY_OFF, DIRECT]) {
        const runs = byRound(measured, name);
        const backend = (m: Measured) =>
          ["users", "dispensers", "requests", "postgres"].reduce((sum, g) => sum + cpuPerRequest(m, g), 0);
        out.rows.push([
          name,
          label,
          fmt(median(runs.map((m) => m.result.rps))),
          fmt(median(runs.map((m) => m.result.latency.p50))),
          fmt(median(runs.map((m) => m.result.latency.p99))),
          String(runs.reduce((sum, m) => sum + m.result.non2xx + m.result.errors, 0)),
          fmt(median(runs.map((m) => cpuPerRequest(m, "gateway")))),
          fmt(median(runs.map(backend))),
        ]);
      }
    };

    log(
      `scenario 1: saturation, ${settings.connections} connections, ${settings.rounds} rounds × ${settings.roundSeconds} s each`,
    );
    const saturated = await pairedRounds(bench, contenders(), settings.rounds, settings.roundSeconds);
    rows(`max, ${settings.connections} conns`, saturated);
    // What the gateway adds to one board when nothing waits in a queue: one connection, one
    // request at a time. At 200 req/s the sharing-off gateway is at or past the machine's
    // ceiling, so a latency ratio taken there measures queueing, not the gateway.
    log(`scenario 1: one request at a time, ${settings.rounds} rounds × ${settings.fixedRateSeconds} s each`);
    const sequential = await pairedRounds(bench, contenders(undefined, 1), settings.rounds, settings.fixedRateSeconds);
    rows("one at a time", sequential);
    log(`scenario 1: fixed 200 req/s, ${settings.rounds} rounds × ${settings.fixedRateSeconds} s each`);
    const fixed = await pairedRounds(bench, contenders(200, 10), settings.rounds, settings.fixedRateSeconds);
    rows("fixed 200 req/s, open loop", fixed);

    const g = byRound(saturated, ASKY_OFF);
    const d = byRound(saturated, DIRECT);
    const throughputRatios = g.map((m, i) => d[i]!.result.rps / m.result.rps);
    const shipped = byRound(saturated, ASKY).map((m, i) => d[i]!.result.rps / m.result.rps);
    const gf = byRound(fixed, ASKY_OFF);
    const df = byRound(fixed, DIRECT);
    const p50Ratios = gf.map((m, i) => m.result.latency.p50 / df[i]!.result.latency.p50);
    const ds = byRound(sequential, DIRECT);
    const unloadedRatios = byRound(sequential, ASKY_OFF).map(
      (m, i) => m.result.latency.p50 / ds[i]!.result.latency.p50,
    );
    const unloadedOverhead = median(unloadedRatios);
    const shippedFixed = byRound(fixed, ASKY);
    const overhead = median(throughputRatios);
    const p50Overhead = median(p50Ratios);
    out.notes.push(
      `Gateway overhead, throughput (direct req/s ÷ Asky-with-sharing-off req/s) per round: ${throughputRatios.map((r) => fmt(r, 2)).join(", ")}; median **${fmt(overhead, 2)}×**. The same against Asky as shipped (sharing on): ${shipped.map((r) => fmt(r, 2)).join(", ")}; median ${fmt(median(shipped), 2)}× (below 1: faster than going direct, because concurrent identical boards share subgraph calls).`,
      `Gateway overhead, latency one request at a time (Asky-with-sharing-off p50 ÷ direct p50) per round: ${unloadedRatios.map((r) => fmt(r, 2)).join(", ")}; median **${fmt(unloadedOverhead, 2)}×**.`,
      `The same ratio at 200 req/s, where the sharing-off gateway and the direct client sit at or past this machine's ceiling (so it mostly compares queues): ${p50Ratios.map((r) => fmt(r, 2)).join(", ")}; median ${fmt(p50Overhead, 2)}×.`,
      `Achieved rate in the fixed-rate runs: Asky ${shippedFixed.map((m) => fmt(m.result.rps, 0)).join(", ")}; Asky sharing off ${gf.map((m) => fmt(m.result.rps, 0)).join(", ")}; direct ${df.map((m) => fmt(m.result.rps, 0)).join(", ")} req/s. Fixed-rate runs are open loop (bench/src/paced.ts): latency counts from when each request was due.`,
      `Other load on the machine (CPU not used by the bench's processes), median over runs: ${fmt(median([...saturated, ...sequential, ...fixed].map((m) => m.cpu.others / m.cpu.wall)), 2)} cores.`,
    );
    const p99 = median(shippedFixed.map((m) => m.result.latency.p99));
    const achieved = median(shippedFixed.map((m) => m.result.rps));
    const p99Off = median(gf.map((m) => m.result.latency.p99));
    out.verdicts.push(
      {
        target: "Ward board p99 < 25 ms at 200 req/s",
        met: p99 < 25 && achieved >= 190,
        detail: `p99 ${fmt(p99)} ms at ${fmt(achieved, 0)} req/s (with sharing off: ${fmt(p99Off)} ms)`,
      },
      {
        target: "Gateway overhead ≤ 1.3× the subgraphs",
        met: overhead <= 1.3 && unloadedOverhead <= 1.3,
        detail: `sharing off: throughput ${fmt(overhead, 2)}×, p50 one at a time ${fmt(unloadedOverhead, 2)}×; as shipped: throughput ${fmt(median(shipped), 2)}×`,
      },
    );
    return out;
  } finally {
    await Promise.all([direct.stop(), askyOff.stop()]);
  }
}
