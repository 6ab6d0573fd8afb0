/**
 * Wraps a service entry point for `bench/src/profile.ts`: the first SIGUSR2 starts V8's CPU
 * profiler, the second stops it and writes `<BENCH_PROFILE_DIR>/<name>.cpuprofile`, so the
 * profile covers the load window only (Node 20 refuses --cpu-prof in NODE_OPTIONS).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const entry = process.env.BENCH_PROFILE_ENTRY;
const dir = process.env.BENCH_PROFILE_DIR;
const name = process.env.BENCH_PROFILE_NAME ?? String(process.pid);
if (!entry || !dir) throw new Error("BENCH_PROFILE_ENTRY and BENCH_PROFILE_DIR are required");

const session = new Session();
session.connect();
let running = false;
process.on("SIGUSR2", () => {
  void (async () => {
    if (!running) {
      running = true;
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 500 });
      await session.post("Profiler.start");
      return;
    }
    running = false;
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  })();
});

await import(pathToFileURL(entry).href);
