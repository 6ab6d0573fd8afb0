import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { LogSink } from "./log.js";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

export interface SpawnOptions {
  /** Short name used as the log prefix, e.g. `users`. */
  name: string;
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log: LogSink;
  /** Run as this OS user (root only). */
  uid?: number;
  gid?: number;
  /** Signal asking for a graceful stop. Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /**
   * Sent synchronously if this Node process exits while the child still runs (there is no
   * time to wait then). Default SIGKILL; Postgres prefers SIGQUIT (immediate shutdown).
   */
  exitSignal?: NodeJS.Signals;
  /** How many recent output lines to keep for error messages. Default 200. */
  keepLines?: number;
}

export interface StopOptions {
  signal?: NodeJS.Signals;
  /** After this long, SIGKILL. Default 10 s. */
  timeoutMs?: number;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (or failed to start). Never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** Undefined while running. */
  readonly exitInfo: ExitInfo | undefined;
  /** The last `count` lines the process wrote (stdout and stderr interleaved). */
  recentOutput(count?: number): string[];
  /** Graceful stop, escalating to SIGKILL. Resolves once the process is gone. */
  stop(options?: StopOptions): Promise<ExitInfo>;
}

const live = new Set<{ pid: number; exitSignal: NodeJS.Signals }>();
let exitHookInstalled = false;

/** Last line of defence against orphans: whatever still runs when Node exits gets signalled. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const entry of live) signalGroup(entry.pid, entry.exitSignal);
  });
}

/** Children run in their own process group; signal the whole group, falling back to the pid. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function signalGroupOnly(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === "win32") return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already empty.
  }
}

/** Processes started by this module that have not exited yet. */
export function runningProcessCount(): number {
  return live.size;
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return `failed to start: ${info.error.message}`;
  if (info.signal) return `was killed by ${info.signal}`;
  return `exited with code ${info.code}`;
}

/**
 * Spawns a child in its own process group (so a terminal Ctrl-C reaches only us and we stop
 * things in order), prefixes each output line with its name, remembers recent lines for
 * error messages, and tracks it until it exits.
 */
export function spawnManaged(options: SpawnOptions): ManagedProcess {
  const keep = options.keepLines ?? 200;
  const recent: string[] = [];
  const remember = (line: string): void => {
    recent.push(line);
    if (recent.length > keep) recent.splice(0, recent.length - keep);
  };

  const child = spawn(options.command, [...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32",
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });

  const entry = child.pid !== undefined ? { pid: child.pid, exitSignal: options.exitSignal ?? "SIGKILL" } : undefined;
  if (entry) {
    installExitHook();
    live.add(entry);
  }

  const pipe = (stream: Readable | null, kind: "stdout" | "stderr"): Promise<void> => {
    if (!stream) return Promise.resolve();
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on("line", (line) => {
      remember(line);
      options.log(options.name, line, kind);
    });
    return new Promise((resolve) => lines.once("close", () => resolve()));
  };
  const drained = Promise.all([pipe(child.stdout, "stdout"), pipe(child.stderr, "stderr")]);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (info: ExitInfo): void => {
      if (exitInfo) return;
      exitInfo = info;
      if (entry) live.delete(entry);
      // A leader that died abruptly can leave its children running (Postgres backends after a
      // SIGKILLed postmaster still hold its shared memory): they would block a restart.
      if (child.pid !== undefined) signalGroupOnly(child.pid, "SIGKILL");
      // Give the pipes a moment to flush the last lines (they matter in error messages).
      void Promise.race([drained, new Promise((r) => setTimeout(r, 500))]).then(() => resolve(info));
    };
    child.once("error", (error) => {
      // 'error' without a pid means the spawn itself failed; with a pid it was a kill failure.
      if (child.pid === undefined) finish({ code: null, signal: null, error });
    });
    child.once("exit", (code, signal) => finish({ code, signal }));
  });

  let stopping: Promise<ExitInfo> | undefined;
  const stop = (stopOptions: StopOptions = {}): Promise<ExitInfo> => {
    if (exitInfo) return exited;
    stopping ??= (async () => {
      const pid = child.pid;
      if (pid === undefined) return exited;
      signalGroup(pid, stopOptions.signal ?? options.stopSignal ?? "SIGTERM");
      const timeoutMs = stopOptions.timeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first === "timeout") {
        options.log(options.name, `did not stop within ${timeoutMs} ms, sending SIGKILL`, "stderr");
        signalGroup(pid, "SIGKILL");
      }
      const info = await exited;
      // Sweep anything the child left behind in its process group.
      signalGroupOnly(pid, "SIGKILL");
      return info;
    })();
    return stopping;
  };

  return {
    name: options.name,
    pid: child.pid,
    child,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    recentOutput: (count = 40) => recent.slice(-count),
    stop,
  };
}
