import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

/** CPU seconds (user + system) a process has used, from /proc; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[11], fields[12] = utime, stime (in clock ticks; 100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A process and all its descendants (Postgres backends, say). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) all.push(...childrenOf(all[i]!));
  return all;
}

export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

/** Whole-machine busy CPU seconds (all cores) from /proc/stat. */
function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

export type ProcessGroups = Record<string, () => number[]>;

export interface CpuReport {
  /** CPU seconds per group over the window. */
  seconds: Record<string, number>;
  /** Busy CPU seconds of the whole machine, and of what is not ours. */
  machine: number;
  others: number;
  wall: number;
}

/**
 * Measures CPU used by named process groups (the bench's own processes) against the whole
 * machine over a window, so a run on a shared box can say how much else was running.
 */
export class CpuMeter {
  private start: { groups: Record<string, number>; machine: number; at: number } | null = null;

  constructor(private readonly groups: ProcessGroups) {}

  private sample(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups))
      out[name] = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    return out;
  }

  begin(): void {
    this.start = { groups: this.sample(), machine: machineBusySeconds(), at: performance.now() };
  }

  end(): CpuReport {
    if (!this.start) throw new Error("CpuMeter.end before begin");
    const now = this.sample();
    const seconds: Record<string, number> = {};
    let ours = 0;
    for (const name of Object.keys(now)) {
      seconds[name] = Math.max(0, now[name]! - (this.start.groups[name] ?? 0));
      ours += seconds[name]!;
    }
    const machine = machineBusySeconds() - this.start.machine;
    return { seconds, machine, others: Math.max(0, machine - ours), wall: (performance.now() - this.start.at) / 1000 };
  }
}

export function machineLoad(): string {
  return `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")} on ${cpus().length} cores`;
}
