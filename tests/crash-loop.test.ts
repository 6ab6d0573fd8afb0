/**
 * The stack's supervisor restarts a process that dies, but not forever: one that dies again
 * at every start is given up on after defaultRestartPolicy.maxCrashes crashes within its
 * window, and the stack stops itself, leaving no process behind.
 *
 * The services here are a stand-in (fixtures/crash-loop-service.ts) over the test stack's
 * Postgres and NATS, which this stack only points at and never stops.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  defaultRestartPolicy,
  runningProcessCount,
  startStack,
  type DatabaseOps,
  type Stack,
  type StackError,
} from "@asky/stack";
import { testStack } from "@asky/stack/testing";

const fixture = fileURLToPath(new URL("./fixtures/crash-loop-service.ts", import.meta.url));
const shared = testStack();

/** Nothing to prepare: the stand-ins never touch the database. */
const noDatabase: DatabaseOps = {
  serviceNames: ["users", "dispensers", "requests"],
  bootstrapRoles: async () => shared.serviceDatabaseUrls,
  migrateService: async () => {},
  seedService: async () => false,
};

let stack: Stack | undefined;
let scratch: string | undefined;
afterAll(async () => {
  await stack?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const pidGone = (pid: number | undefined): boolean => {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

describe("a process that crashes at every start", () => {
  it(`is restarted with back-off, then the stack gives up after ${defaultRestartPolicy.maxCrashes} crashes and stops`, async () => {
    scratch = await mkdtemp(join(tmpdir(), "asky-crash-loop-"));
    const marker = join(scratch, "crash");
    const lines: string[] = [];
    let gaveUp: (error: StackError) => void = () => {};
    const crashLoop = new Promise<StackError>((resolve) => (gaveUp = resolve));

    stack = await startStack({
      ports: "free",
      ephemeral: true,
      databaseUrl: shared.adminDatabaseUrl,
      natsUrl: shared.natsUrl,
      database: noDatabase,
      entries: { users: fixture, dispensers: fixture, requests: fixture, gateway: fixture },
      env: { users: { CRASH_MARKER: marker } },
      log: (source, line) => lines.push(`[${source}] ${line}`),
      onCrashLoop: gaveUp,
    });
    const started = { ...stack.processes };

    await writeFile(marker, "");
    const killedAt = Date.now();
    process.kill(started.users!.pid!, "SIGKILL");
    const error = await crashLoop;
    const elapsed = Date.now() - killedAt;

    // 1 + 2 + 4 + 8 s of back-off, plus four starts of a process that exits at once.
    expect(elapsed).toBeGreaterThanOrEqual(15_000);
    expect(elapsed).toBeLessThan(defaultRestartPolicy.windowMs);
    const restarts = lines.filter((line) => line.startsWith("[stack] users") && line.includes("restarting in"));
    expect(restarts.map((line) => /restarting in (\S+ s)/.exec(line)?.[1])).toEqual(["1 s", "2 s", "4 s", "8 s"]);
    expect(restarts[0]).toContain("users was killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 60 s)");
    expect(restarts[1]).toContain("users did not come back (users exited with code 1 before answering 200");
    expect(error.message).toContain("5 crashes within 60 s, so it is crash-looping. Giving up and stopping the stack");
    expect(error.message).toContain("crashing on purpose");

    // The stack stopped itself: the other services and the last attempt are gone too.
    expect(lines.at(-1)).toBe("[stack] stopped");
    expect(Object.values(started).every((proc) => proc.exitInfo !== undefined)).toBe(true);
    expect(Object.values(stack.processes).every((proc) => pidGone(proc.pid))).toBe(true);
    expect(runningProcessCount()).toBe(0);
  }, 90_000);
});
