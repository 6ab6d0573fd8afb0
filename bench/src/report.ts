import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { Section } from "./section.js";

const benchDir = new URL("../", import.meta.url).pathname;
const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    try {
      const file = join(benchDir, "..", "node_modules", name, "package.json");
      return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
    } catch {
      return "?";
    }
  }
}

export interface RunInfo {
  startedAt: Date;
  seconds: number;
  settings: string;
  loadBefore: string;
  loadAfter: string;
  failures: string[];
}

export function machineLines(): string[] {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "?";
  const npm = (() => {
    try {
      return execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["--version"], { encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  })();
  const packages = [
    "@apollo/gateway",
    "@apollo/server",
    "@graphql-hive/gateway",
    "graphql",
    "graphql-ws",
    "ws",
    "autocannon",
  ]
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(", ");
  return [
    `- CPU: ${cpus().length} × ${model} (nproc ${cpus().length})`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, npm ${npm}, ${process.platform}/${process.arch}`,
    `- Packages: ${packages}`,
  ];
}

function markdownTable(columns: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map(line)].join("\n");
}

function textTable(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const mark = (met: boolean | null) => (met === null ? "not measured" : met ? "met" : "**missed**");

export function printReport(sections: Section[]): void {
  for (const s of sections) {
    process.stdout.write(`\n${s.title}\n${textTable(s.columns, s.rows)}\n`);
    for (const note of s.notes) process.stdout.write(`  ${note.replaceAll("**", "")}\n`);
  }
  process.stdout.write("\nTargets\n");
  for (const v of sections.flatMap((s) => s.verdicts))
    process.stdout.write(`  [${v.met === null ? " ? " : v.met ? " ok" : "MISS"}] ${v.target}: ${v.detail}\n`);
}

export function writeReport(sections: Section[], info: RunInfo): string {
  const verdicts = sections.flatMap((s) => s.verdicts);
  const analysisFile = join(benchDir, "analysis.md");
  const parts = [
    "# Asky benchmark results",
    "",
    `Written by \`npm run bench\` on ${info.startedAt.toISOString()} (whole run ${(info.seconds / 60).toFixed(1)} min; ${info.settings}). Every load targets loopback only.`,
    "",
    "## Machine",
    "",
    ...machineLines(),
    `- Load before the run: ${info.loadBefore}; after: ${info.loadAfter}. This machine is shared: other sessions' builds and browsers may run at the same time, which is why every comparison alternates its contenders (A B A B) and reports per-round ratios, and each run records how much CPU the rest of the machine took.`,
    "- Everything (Postgres, NATS, three subgraphs, the gateway(s), the load generator and the WebSocket clients) runs on these 2 cores.",
    "",
    "## Targets",
    "",
    markdownTable(
      ["target", "result", "measured"],
      verdicts.map((v) => [v.target, mark(v.met), v.detail]),
    ),
    ...(info.failures.length ? ["", "Scenarios that failed to run:", "", ...info.failures.map((f) => `- ${f}`)] : []),
    "",
    ...sections.flatMap((s) => [
      `## ${s.title}`,
      "",
      markdownTable(s.columns, s.rows),
      "",
      ...s.notes.map((n) => `- ${n}`),
      "",
    ]),
    "## Method",
    "",
    "- HTTP load, as fast as it goes (\"max\"): autocannon in the bench process, 16 connections (32 for createRequest), POSTing one GraphQL operation as the nurse of ward UTI-ADULTO. Fixed rates (200 and 500 req/s): an open-loop pacer (bench/src/paced.ts) that sends request i at start + i/rate and times it from then, because autocannon's rate limit sends each second's quota as one burst and hides stalls (coordinated omission); at most 256 in flight, the excess counted as errors. Latency percentiles are nearest-rank over every 2xx response's exact time.",
    "- CPU ms/req: user+system CPU each process used during the run (/proc/<pid>/stat), divided by completed requests. Postgres counts its backends. \"Other load\" is the whole machine's busy CPU (/proc/stat) minus the bench's own processes.",
    '- The ward board: `requests(first: 20, ward)` with requester, dispenser and items (4 subgraph fetches: requests, then users, dispensers and catalog items in parallel). "Direct" makes exactly those 4 calls with the same internal tokens from a minimal node:http client behind its own port (bench/src/targets/direct.ts).',
    "- Peers get one internal token per subgraph, signed with the stack's gateway key and re-signed every 30 s, as Asky's gateway caches them. Stock Apollo: `new ApolloGateway` + `startStandaloneServer` defaults, a `RemoteGraphQLDataSource` subclass setting the header. Hive Gateway: `createGatewayRuntime` in one process (no worker forks) with `propagateHeaders.fromClientToSubgraphs`.",
    "",
  ];
  if (existsSync(analysisFile)) parts.push(readFileSync(analysisFile, "utf8").trim(), "");
  const text = parts.join("\n");
  const file = join(benchDir, "RESULTS.md");
  writeFileSync(file, text);
  return file;
}
