/**
 * A nats-server of its own for tests that stop, restart or stall the broker: the shared
 * stack's keeps running for every other test file. It keeps its port and JetStream store
 * across restarts, as a real broker restart does.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentSink } from "../log.js";
import { startNats, type RunningNats } from "../nats.js";
import { findFreePort } from "../ports.js";

export interface PrivateNats {
  readonly url: string;
  stop(): Promise<void>;
  /** Starts the server again on the same port and JetStream store. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing, like a hung broker. */
  pause(): void;
  resume(): void;
  dispose(): Promise<void>;
}

function signal(running: RunningNats | null, name: NodeJS.Signals): void {
  const pid = running?.process.pid;
  if (pid === undefined || running?.process.exitInfo !== undefined)
    throw new Error("the private nats-server is not running");
  process.kill(pid, name);
}

export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await findFreePort();
  const storeDir = await mkdtemp(join(tmpdir(), "asky-nats-test-"));
  let running: RunningNats | null = null;
  const start = async () => {
    running = await startNats({ port, storeDir, log: silentSink, autoInstall: false });
  };
  const stop = async () => {
    // A paused server would ignore SIGTERM until the stop's timeout.
    const pid = running?.process.pid;
    if (pid !== undefined && running?.process.exitInfo === undefined) process.kill(pid, "SIGCONT");
    await running?.stop();
    running = null;
  };
  try {
    await start();
  } catch (error) {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    pause: () => signal(running, "SIGSTOP"),
    resume: () => signal(running, "SIGCONT"),
    async dispose() {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
