/**
 * Scenario 2: the same ward board served by Asky's gateway, a stock @apollo/gateway with
 * Apollo Server's defaults, and Hive Gateway, over the same subgraphs, in alternating rounds.
 * Asky and Hive both share identical in-flight subgraph reads by default; they run a second
 * time with that off, so the report can tell gateway efficiency from saved subgraph work.
 */
import { metricsAuthorization, type Bench } from "../context.js";
import { checkWardBoard, wardBoardBody } from "../fixtures.js";
import { cpuPerRequest, log, pairedRounds, type Contender, type Measured } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt, median } from "../stats.js";

const entry = (name: string) => new URL(`../targets/${name}.ts`, import.meta.url).pathname;
const ASKY = "Asky gateway";
const HIVE = "Hive Gateway";
const STOCK = "stock @apollo/gateway";
const ASKY_OFF = "Asky, sharing off";
const HIVE_OFF = "Hive, dedupe off";

export async function peers(bench: Bench): Promise<Section> {
  const { settings, stack, fixtures } = bench;
  const out = section("peers", "2. Peers on the same supergraph (ward board, 16 connections, saturating)", [
    "gateway",
    "req/s (median)",
    "p50 ms",
    "p99 ms",
    "errors",
    "gateway CPU ms/req",
    "subgraphs+PG CPU ms/req",
    "subgraph calls/req (sequential)",
  ]);
  const hive = await bench.startTarget("hive-gateway", entry("hive"));
  const stock = await bench.startTarget("apollo-stock", entry("apollo-stock"));
  const hiveOff = await bench.startTarget("hive-gateway-dedupe-off", entry("hive"), { env: { BENCH_DEDUPE: "off" } });
  const askyOff = await bench.startTarget(
    "asky-gateway-sharing-off",
    new URL("../targets/asky-no-sharing.ts", import.meta.url).pathname,
    { readyOnHealth: true },
  );
  try {
    const auth = { authorization: `Bearer ${fixtures.nurseToken}` };
    const targets = [
      {
        name: ASKY,
        url: stack.gatewayUrl,
        pid: stack.processes.gateway!.pid!,
        calls: () => askyCalls(stack.gatewayUrl),
      },
      { name: HIVE, url: hive.url, pid: hive.pid, calls: () => peerCalls(hive.statsUrl) },
      { name: STOCK, url: stock.url, pid: stock.pid, calls: () => peerCalls(stock.statsUrl) },
      { name: ASKY_OFF, url: askyOff.url, pid: askyOff.pid, calls: () => askyCalls(askyOff.url) },
      { name: HIVE_OFF, url: hiveOff.url, pid: hiveOff.pid, calls: () => peerCalls(hiveOff.statsUrl) },
    ];
    for (const target of targets) await checkWardBoard(target.url, fixtures.nurseToken);
    const contenders: Contender[] = targets.map((t) => ({
      name: t.name,
      pid: t.pid,
      options: { url: t.url, body: wardBoardBody, headers: auth, connections: settings.connections },
    }));
    log(
      `scenario 2: ${settings.rounds} rounds × ${settings.roundSeconds} s per gateway, ${settings.connections} connections`,
    );
    const measured = await pairedRounds(bench, contenders, settings.rounds, settings.roundSeconds);
    const runs = (name: string): Measured[] =>
      measured.filter((m) => m.name === name).sort((a, b) => a.round - b.round);
    const backend = (m: Measured) =>
      ["users", "dispensers", "requests", "postgres"].reduce((sum, g) => sum + cpuPerRequest(m, g), 0);
    for (const target of targets) {
      const r = runs(target.name);
      out.rows.push([
        target.name,
        fmt(median(r.map((m) => m.result.rps))),
        fmt(median(r.map((m) => m.result.latency.p50))),
        fmt(median(r.map((m) => m.result.latency.p99))),
        String(r.reduce((sum, m) => sum + m.result.non2xx + m.result.errors, 0)),
        fmt(median(r.map((m) => cpuPerRequest(m, "gateway")))),
        fmt(median(r.map(backend))),
        fmt(await callsPerRequest(target.url, auth, target.calls), 1),
      ]);
    }
    const ratio = (a: string, b: string, f: (m: Measured) => number) => runs(a).map((m, i) => f(m) / f(runs(b)[i]!));
    const rps = (m: Measured) => m.result.rps;
    const cpu = (m: Measured) => cpuPerRequest(m, "gateway");
    const line = (label: string, values: number[]) =>
      `${label}: ${values.map((r) => fmt(r, 2)).join(", ")}; median **${fmt(median(values), 2)}×**.`;
    const vsHive = ratio(ASKY, HIVE, rps);
    const vsStock = ratio(ASKY, STOCK, rps);
    out.notes.push(
      line("Asky ÷ Hive, req/s per round (both as shipped)", vsHive),
      line("Asky ÷ stock Apollo, req/s per round", vsStock),
      line("Asky ÷ Hive with in-flight sharing off in both, req/s per round", ratio(ASKY_OFF, HIVE_OFF, rps)),
      line("Asky (sharing off) ÷ stock Apollo, req/s per round", ratio(ASKY_OFF, STOCK, rps)),
      line(
        "Gateway CPU per request, Hive ÷ Asky (sharing off in both; above 1 = Asky spends less)",
        ratio(HIVE_OFF, ASKY_OFF, cpu),
      ),
      line("Gateway CPU per request, stock ÷ Asky (sharing off)", ratio(STOCK, ASKY_OFF, cpu)),
      "Every request is the same nurse's same board, so concurrent requests are identical: the best case for in-flight sharing, which Hive Gateway does by default and Asky's gateway does since this benchmark (on by default; bench/src/targets/asky-no-sharing.ts starts it off). The \"off\" rows show the gateways without it. Subgraph calls per request are counted with requests sent one at a time (no sharing possible).",
      "Asky also verifies the client's access token (ES256, cached per token for up to a minute) and checks revocations on every request; the peers trust a pre-signed identity and do no client auth at all.",
      `Other load on the machine (CPU not used by the bench's processes), median over runs: ${fmt(median(measured.map((m) => m.cpu.others / m.cpu.wall)), 2)} cores.`,
    );
    out.verdicts.push(
      {
        target: "Asky ≥ Hive Gateway (req/s)",
        met: median(vsHive) >= 1,
        detail: `${fmt(median(vsHive), 2)}× as shipped; ${fmt(median(ratio(ASKY_OFF, HIVE_OFF, rps)), 2)}× with sharing off in both`,
      },
      {
        target: "Asky ≥ 2× stock @apollo/gateway (req/s)",
        met: median(vsStock) >= 2,
        detail: `${fmt(median(vsStock), 2)}× as shipped; ${fmt(median(ratio(ASKY_OFF, STOCK, rps)), 2)}× with Asky's sharing off`,
      },
    );
    return out;
  } finally {
    await Promise.all([hive.stop(), stock.stop(), hiveOff.stop(), askyOff.stop()]);
  }
}

/** Subgraph HTTP calls an Asky gateway has made, from its /metrics counter. */
async function askyCalls(gatewayUrl: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", gatewayUrl), { headers: metricsAuthorization() })).text();
  return [...text.matchAll(/^asky_gateway_subgraph_requests_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** Subgraph HTTP calls a bench peer has made (bench/src/targets/call-counter.ts). */
async function peerCalls(statsUrl: string): Promise<number> {
  return ((await (await fetch(statsUrl)).json()) as { calls: number }).calls;
}

/** Subgraph calls per ward board: ten boards, one after the other, counted by the gateway. */
async function callsPerRequest(
  url: string,
  headers: Record<string, string>,
  total: () => Promise<number>,
): Promise<number> {
  const before = await total();
  const n = 10;
  for (let i = 0; i < n; i += 1)
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: wardBoardBody,
    });
  return ((await total()) - before) / n;
}
