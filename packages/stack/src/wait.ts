import { connect } from "node:net";
import { StackError } from "./errors.js";
import { describeExit, type ManagedProcess } from "./processes.js";

export interface WaitOptions {
  /** Name used in error messages. */
  name: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** When given, fail as soon as it exits and quote its last log lines in errors. */
  process?: ManagedProcess;
  signal?: AbortSignal;
  /** Probe errors for which retrying is pointless (e.g. a wrong password): rethrown at once. */
  isFatal?: (error: unknown) => boolean;
}

/** The last lines a process wrote, indented, for error messages. */
export function logTail(proc: ManagedProcess | undefined, lines = 30): string {
  if (!proc) return "";
  const tail = proc.recentOutput(lines);
  if (tail.length === 0) return `\n  (${proc.name} wrote no output)`;
  return `\n  last ${tail.length} lines of the ${proc.name} log:\n${tail.map((line) => `    ${line}`).join("\n")}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Throws if the wait was aborted (e.g. Ctrl-C during startup). */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new StackError(`Startup cancelled while ${what}`);
}

/**
 * Polls until `probe` resolves true. Fails fast when the watched process exits, and on
 * timeout with the last probe error and the process' recent output.
 */
export async function waitUntil(what: string, probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer yet";
  for (;;) {
    throwIfAborted(options.signal, `waiting for ${options.name}`);
    const exit = options.process?.exitInfo;
    if (exit) {
      throw new StackError(`${options.name} ${describeExit(exit)} before ${what}.${logTail(options.process)}`);
    }
    try {
      if (await probe()) return;
    } catch (error) {
      if (options.isFatal?.(error)) throw error;
      lastProblem = problemOf(error);
    }
    if (Date.now() >= deadline) {
      throw new StackError(
        `${options.name} did not become ready within ${Math.round(timeoutMs / 1000)} s (${what}; last: ${lastProblem}).` +
          logTail(options.process),
      );
    }
    await sleep(intervalMs, options.signal);
  }
}

function problemOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
    return (error as NodeJS.ErrnoException).code ?? error.message;
  }
  return String(error);
}

/** Polls `url` with GET until it answers 200. */
export function waitForHttp(url: string, options: WaitOptions): Promise<void> {
  return waitUntil(
    `answering 200 on ${url}`,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      await response.body?.cancel();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      return true;
    },
    options,
  );
}

/** Resolves true once a TCP connection to host:port succeeds. */
export function canConnect(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("connect timeout"));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.end();
      resolve(true);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Polls until host:port accepts TCP connections. */
export function waitForTcp(host: string, port: number, options: WaitOptions): Promise<void> {
  return waitUntil(`accepting connections on ${host}:${port}`, () => canConnect(host, port), options);
}
