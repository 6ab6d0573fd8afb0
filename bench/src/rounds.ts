import type { Bench } from "./context.js";
import { CpuMeter, type CpuReport } from "./cpu.js";
import { load, type LoadOptions, type LoadResult } from "./load.js";

export interface Contender {
  name: string;
  options: Omit<LoadOptions, "seconds">;
  /** The process whose CPU is "the gateway" for this contender. */
  pid: number;
}

export interface Measured {
  name: string;
  round: number;
  result: LoadResult;
  cpu: CpuReport;
}

/**
 * Runs contenders alternately (A B A B ...) for `rounds` rounds, so a noisy neighbour on the
 * machine hits all of them alike; each run also records CPU of every process involved.
 */
export async function pairedRounds(
  bench: Bench,
  contenders: Contender[],
  rounds: number,
  seconds: number,
): Promise<Measured[]> {
  for (const contender of contenders) await load({ ...contender.options, seconds: bench.settings.warmupSeconds });
  const measured: Measured[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    for (const contender of contenders) {
      await settle(
        bench,
        contenders.map((c) => c.pid),
      );
      const meter = new CpuMeter({ gateway: () => [contender.pid], ...bench.backendPids() });
      meter.begin();
      const result = await load({ ...contender.options, seconds });
      const cpu = meter.end();
      measured.push({ name: contender.name, round, result, cpu });
      log(
        `  ${contender.name.padEnd(24)} round ${round}: ${result.rps.toFixed(0)} req/s, p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, errors ${result.non2xx + result.errors}, gateway CPU ${((1000 * (cpu.seconds.gateway ?? 0)) / Math.max(1, result.ok)).toFixed(2)} ms/req, other load ${(cpu.others / cpu.wall).toFixed(2)} cores`,
      );
    }
  }
  return measured;
}

/**
 * Waits (up to 15 s) until the gateways, subgraphs and Postgres are nearly idle, so that a
 * backlog left by an overloaded run is not charged to the next contender.
 */
export async function settle(bench: Bench, gatewayPids: number[]): Promise<void> {
  const groups = { ...bench.backendPids(), gateways: () => gatewayPids };
  delete (groups as Record<string, unknown>)["load generator"];
  for (let i = 0; i < 30; i += 1) {
    const meter = new CpuMeter(groups);
    meter.begin();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { seconds, wall } = meter.end();
    if (Object.values(seconds).reduce((a, b) => a + b, 0) / wall < 0.25) return;
  }
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** CPU milliseconds of one process group per completed request. */
export function cpuPerRequest(measured: Measured, group: string): number {
  return (1000 * (measured.cpu.seconds[group] ?? 0)) / Math.max(1, measured.result.ok);
}
