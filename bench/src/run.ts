/**
 * `npm run bench`: boots a throw-away stack on free ports, runs every scenario in turn,
 * prints a table and writes bench/RESULTS.md. `--quick` for a short smoke run, `--only=1,3`
 * to run some scenarios (RESULTS.md is then not written unless `--write`). `--tracing` runs
 * every service with OpenTelemetry tracing at 100% sampling, exporting to an OTLP endpoint of
 * the bench's own: run with and without it, alternately, to see what tracing costs.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSink, liftedRateLimits, startStack } from "@asky/stack";
import { createBench, settingsFrom } from "./context.js";
import { machineLoad } from "./cpu.js";
import { ensureWardBoard, loadFixtures } from "./fixtures.js";
import { printReport, writeReport } from "./report.js";
import { log } from "./rounds.js";
import { startOtlpSink } from "./otlp-sink.js";
import { coldStart } from "./scenarios/cold-start.js";
import { createRequests } from "./scenarios/create-request.js";
import { fanout } from "./scenarios/fanout.js";
import { peers } from "./scenarios/peers.js";
import { pharmacyQueue } from "./scenarios/pharmacy-queue.js";
import { guards } from "./scenarios/guards.js";
import { revocation } from "./scenarios/revocation.js";
import { wardBoard } from "./scenarios/ward-board.js";
import type { Section } from "./section.js";

const argv = process.argv.slice(2);
const settings = settingsFrom(argv);
const only = argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",")
  .map(Number);
const startedAt = new Date();
const started = performance.now();
const loadBefore = machineLoad();
const logDir = join(tmpdir(), `asky-bench-${startedAt.toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(logDir, { recursive: true });
log(`logs in ${logDir}; ${loadBefore}`);

const tracing = argv.includes("--tracing") ? await startOtlpSink() : null;
// Every service, and every gateway the scenarios start, inherits these from this process.
if (tracing) {
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: tracing.url,
    OTEL_TRACES_SAMPLER: "always_on",
    // Metrics go to Prometheus only: what is measured is the cost of tracing.
    OTEL_METRICS_EXPORTER: "prometheus",
  });
  log(`tracing every request to ${tracing.url}`);
}

const stack = await startStack({
  ports: "free",
  ephemeral: true,
  log: fileSink(join(logDir, "stack.log")),
  nodeEnv: "development",
  logLevel: "warn",
  // One nurse from one address, hundreds of requests a second: every bench gateway, the stack's
  // included, never refuses, so the limits' bookkeeping is measured but not their refusals.
  env: { gateway: liftedRateLimits },
});
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(130));

const sections: Section[] = [];
const failures: string[] = [];
try {
  log(`stack up in ${((performance.now() - started) / 1000).toFixed(1)} s: gateway ${stack.gatewayUrl}`);
  const fixtures = await loadFixtures(stack.gatewayUrl);
  await ensureWardBoard(stack.gatewayUrl, fixtures);
  const bench = createBench(stack, fixtures, settings, logDir);
  const scenarios: [number, string, () => Promise<Section>][] = [
    [1, "ward board", () => wardBoard(bench)],
    [2, "peers", () => peers(bench)],
    [3, "createRequest", () => createRequests(bench)],
    [4, "subscription fan-out", () => fanout(bench)],
    [5, "cold start", () => coldStart(bench)],
    [6, "operation guards", () => guards(bench)],
    [7, "revocation checks", () => revocation(bench)],
    [8, "pharmacyQueue", () => pharmacyQueue(bench)],
  ];
  for (const [id, name, run] of scenarios) {
    if (only && !only.includes(id)) continue;
    log(`scenario ${id}: ${name} (${machineLoad()})`);
    try {
      sections.push(await run());
    } catch (error) {
      log(`scenario ${id} failed: ${(error as Error).stack ?? String(error)}`);
      failures.push(`${id}. ${name}: ${(error as Error).message}`);
    }
  }
} finally {
  await stack.stop();
  await tracing?.close();
}
if (tracing) {
  for (const [path, { requests, bytes }] of tracing.received)
    log(`OTLP ${path}: ${requests} exports, ${(bytes / 1e6).toFixed(1)} MB`);
}

printReport(sections);
const seconds = (performance.now() - started) / 1000;
if (!only || argv.includes("--write")) {
  const file = writeReport(sections, {
    startedAt,
    seconds,
    settings: `${settings.quick ? "quick mode" : "full mode"}${tracing ? ", tracing on (100% sampled, OTLP)" : ""}`,
    loadBefore,
    loadAfter: machineLoad(),
    failures,
  });
  log(`wrote ${file}`);
}
log(`done in ${(seconds / 60).toFixed(1)} min`);
process.exit(failures.length ? 1 : 0);
