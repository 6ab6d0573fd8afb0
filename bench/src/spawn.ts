import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export const tsxImport = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * Starts a TypeScript entry with `node --import tsx`, output appended to `logFile`; resolves
 * once it printed a line starting with `ready` (or `readyWhen` resolves).
 */
export async function startChild(options: {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  readyWhen?: () => Promise<void>;
  ipc?: boolean;
}): Promise<Child> {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", tsxImport, options.entry], {
    env: options.env,
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      live.delete(child);
      resolve();
    }),
  );
  child.stderr!.pipe(log, { end: false });
  let sawReady!: () => void;
  const readyLine = new Promise<void>((resolve) => (sawReady = resolve));
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    log.write(chunk);
    buffer += chunk.toString("utf8");
    if (/^ready\b/m.test(buffer)) sawReady();
    if (buffer.length > 10_000) buffer = buffer.slice(-1000);
  });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${options.name} not ready after ${timeoutMs} ms (see ${options.logFile})`)),
      timeoutMs,
    );
    void exited.then(() => reject(new Error(`${options.name} exited during startup (see ${options.logFile})`)));
  });
  failed.catch(() => undefined); // only the startup race listens; a later exit is not an error here
  const handle: Child = {
    name: options.name,
    pid: child.pid!,
    process: child,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(killer);
      log.end();
    },
  };
  try {
    await Promise.race([options.readyWhen ? options.readyWhen() : readyLine, failed]);
  } catch (error) {
    await handle.stop(2_000);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return handle;
}
