import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a project folder, or a V8 pseudo-frame. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return url;
  const project = /\/work\/[^/]+\/(.+)$/.exec(url.replace("file://", ""));
  return project ? project[1]!.split("/").slice(0, 2).join("/") : url;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  byOwner: [string, number][];
  byFunction: [string, number][];
}

/** Self time per function and per package/folder, from a V8 .cpuprofile (node --cpu-prof). */
export function summarizeProfile(file: string, top = 15, lastSeconds?: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  // Only the window of interest (e.g. the load phase, not start-up): the last N seconds.
  const from = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    total += us;
    if (callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    const owner = ownerOf(callFrame.url, callFrame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const name = `${callFrame.functionName || "(anonymous)"} ${owner}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ""}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, v / 1000] as [string, number]);
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    byOwner: sorted(owners),
    byFunction: sorted(functions),
  };
}

export function formatSummary(title: string, summary: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1)}%`.padStart(6);
  const lines = [
    `${title}: ${summary.busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms sampled`,
    "  self time by package/folder:",
  ];
  for (const [owner, ms] of summary.byOwner) lines.push(`  ${pct(ms)}  ${owner}`);
  lines.push("  self time by function:");
  for (const [name, ms] of summary.byFunction) lines.push(`  ${pct(ms)}  ${name}`);
  return lines.join("\n");
}

// `tsx bench/src/profile-summary.ts <file.cpuprofile>... [--last=SECONDS]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const last = process.argv.find((a) => a.startsWith("--last="));
  for (const file of process.argv.slice(2).filter((a) => !a.startsWith("--"))) {
    process.stdout.write(
      `${formatSummary(file, summarizeProfile(file, 20, last ? Number(last.slice(7)) : undefined))}\n`,
    );
  }
}
