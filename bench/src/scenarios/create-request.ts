/**
 * Scenario 3: createRequest through the gateway (Postgres write + outbox in one transaction,
 * relay → NATS), at a fixed 200 req/s, at a fixed 500 req/s, and as fast as it goes.
 * Successes are counted in the database (the ward's request count), not only by HTTP status.
 */
import type { Bench } from "../context.js";
import { CpuMeter } from "../cpu.js";
import { createRequestBody, wardRequestCount } from "../fixtures.js";
import { load } from "../load.js";
import { log, settle } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt } from "../stats.js";

export async function createRequests(bench: Bench): Promise<Section> {
  const { settings, stack, fixtures } = bench;
  const out = section("create-request", "3. createRequest through the gateway", [
    "load",
    "req/s done",
    "created in DB",
    "p50 ms",
    "p99 ms",
    "max ms",
    "errors",
    "CPU ms/req: gateway · requests · dispensers · PG",
  ]);
  const auth = { authorization: `Bearer ${fixtures.nurseToken}` };
  const steps: { label: string; rate?: number; connections: number; seconds: number }[] = [
    { label: "fixed 200 req/s", rate: 200, connections: 10, seconds: settings.fixedRateSeconds },
    { label: "fixed 500 req/s", rate: 500, connections: 32, seconds: settings.fixedRateSeconds },
    {
      label: `max, ${2 * settings.connections} conns`,
      connections: 2 * settings.connections,
      seconds: settings.fixedRateSeconds,
    },
  ];
  await load({
    url: stack.gatewayUrl,
    body: () => createRequestBody(fixtures, "warmup"),
    headers: auth,
    connections: 4,
    seconds: settings.warmupSeconds,
  });
  const results: Record<string, { rps: number; p99: number; created: number; seconds: number }> = {};
  for (const step of steps) {
    await settle(bench, [stack.processes.gateway!.pid!]);
    const before = await wardRequestCount(stack.gatewayUrl, fixtures.nurseToken);
    const meter = new CpuMeter({ gateway: () => [stack.processes.gateway!.pid!], ...bench.backendPids() });
    meter.begin();
    const result = await load({
      url: stack.gatewayUrl,
      body: () => createRequestBody(fixtures, step.label.replace(/\W+/g, "-")),
      headers: auth,
      connections: step.connections,
      seconds: step.seconds,
      ...(step.rate ? { rate: step.rate } : {}),
    });
    const cpu = meter.end();
    const created = (await wardRequestCount(stack.gatewayUrl, fixtures.nurseToken)) - before;
    const perReq = (group: string) => fmt((1000 * (cpu.seconds[group] ?? 0)) / Math.max(1, created));
    const createdRate = created / result.seconds;
    results[step.label] = { rps: createdRate, p99: result.latency.p99, created, seconds: result.seconds };
    out.rows.push([
      step.label,
      fmt(createdRate, 0),
      String(created),
      fmt(result.latency.p50),
      fmt(result.latency.p99),
      fmt(result.latency.max),
      String(result.non2xx + result.errors + Math.max(0, result.ok - created)),
      `${perReq("gateway")} · ${perReq("requests")} · ${perReq("dispensers")} · ${perReq("postgres")}`,
    ]);
    out.notes.push(
      `${step.label}: other load on the machine ${fmt(cpu.others / cpu.wall, 2)} cores; all processes together ${fmt(cpu.machine / cpu.wall, 2)} of 2 cores busy.`,
    );
    log(
      `  createRequest ${step.label}: ${fmt(createdRate, 0)} created/s, p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms, ${result.non2xx + result.errors} errors`,
    );
  }
  const at200 = results["fixed 200 req/s"]!;
  const sustained = Math.max(...Object.values(results).map((r) => r.rps));
  out.verdicts.push(
    {
      target: "createRequest p99 < 50 ms at 200 req/s",
      met: at200.p99 < 50 && at200.rps >= 190,
      detail: `p99 ${fmt(at200.p99)} ms at ${fmt(at200.rps, 0)} created/s`,
    },
    {
      target: "createRequest ≥ 500 req/s sustained",
      met: sustained >= 500,
      detail: `best ${fmt(sustained, 0)} created/s over ${settings.fixedRateSeconds} s`,
    },
  );
  return out;
}
