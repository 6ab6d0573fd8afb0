/**
 * `npm run profile -w @asky/bench -- [--workload=ward|create] [--seconds=15] [--subgraphs] [--no-sharing]`:
 * boots a throw-away stack with `node --cpu-prof` on the gateway (and the subgraphs with
 * --subgraphs), drives one workload, stops the stack so the profiles are written, and prints
 * the top self-time frames of the load window only (start-up excluded).
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSink, serviceEntry, startStack, type ServiceId } from "@asky/stack";
import { createRequestBody, ensureWardBoard, loadFixtures, wardBoardBody } from "./fixtures.js";
import { load } from "./load.js";
import { formatSummary, summarizeProfile } from "./profile-summary.js";
import { log } from "./rounds.js";
import { fmt } from "./stats.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const workload = option("workload", "ward");
const seconds = Number(option("seconds", "15"));
const rate = option("rate", "");
const dir = join(tmpdir(), `asky-profile-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const services: ServiceId[] = argv.includes("--subgraphs")
  ? ["gateway", "users", "dispensers", "requests"]
  : ["gateway"];
const wrapper = new URL("./profiled-entry.ts", import.meta.url).pathname;
// --no-sharing: the gateway without in-flight sharing, as every call would be with all-different boards.
const entryOf = (id: ServiceId) =>
  id === "gateway" && argv.includes("--no-sharing")
    ? new URL("./targets/asky-no-sharing.ts", import.meta.url).pathname
    : serviceEntry(id);
const stack = await startStack({
  ports: "free",
  ephemeral: true,
  log: fileSink(join(dir, "stack.log")),
  nodeEnv: "development",
  logLevel: "warn",
  entries: Object.fromEntries(services.map((id) => [id, wrapper])),
  env: Object.fromEntries(
    services.map((id) => [id, { BENCH_PROFILE_ENTRY: entryOf(id), BENCH_PROFILE_DIR: dir, BENCH_PROFILE_NAME: id }]),
  ),
});
const signal = () => {
  for (const id of services) process.kill(stack.processes[id]!.pid!, "SIGUSR2");
};
try {
  const fixtures = await loadFixtures(stack.gatewayUrl);
  await ensureWardBoard(stack.gatewayUrl, fixtures);
  const options = {
    url: stack.gatewayUrl,
    headers: { authorization: `Bearer ${fixtures.nurseToken}` },
    connections: 16,
    ...(rate ? { rate: Number(rate) } : {}),
    body: workload === "create" ? () => createRequestBody(fixtures, "profile") : wardBoardBody,
  };
  await load({ ...options, seconds: 3 });
  signal();
  const result = await load({ ...options, seconds });
  signal();
  log(
    `${workload}: ${fmt(result.rps)} req/s, p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms, ${result.ok} requests`,
  );
  for (let i = 0; i < 50 && !services.every((id) => existsSync(join(dir, `${id}.cpuprofile`))); i += 1)
    await new Promise((r) => setTimeout(r, 200));
} finally {
  await stack.stop();
}
for (const id of services) {
  const file = join(dir, `${id}.cpuprofile`);
  if (existsSync(file)) process.stdout.write(`\n${formatSummary(`${id} (${file})`, summarizeProfile(file, 25))}\n`);
}
