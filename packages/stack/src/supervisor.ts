import { StackError } from "./errors.js";
import type { LogSink } from "./log.js";
import { describeExit, type ExitInfo, type ManagedProcess } from "./processes.js";
import { logTail } from "./wait.js";

/** How soon a process that died is started again, and when the stack stops trying. */
export interface RestartPolicy {
  /** Wait before the first restart; doubled for every further crash within `windowMs`. */
  initialDelayMs: number;
  /** Upper bound of that wait. */
  maxDelayMs: number;
  /** This many crashes of one process within `windowMs` is a crash loop: the stack stops. */
  maxCrashes: number;
  windowMs: number;
}

/**
 * One crash in a while is a fault to heal; five in a minute is a bug or a broken machine that
 * restarting only hides (and that would fill the log). With a process that dies at once, the
 * waits 1, 2, 4 and 8 s make the fifth crash come about 20 s after the first.
 */
export const defaultRestartPolicy: Readonly<RestartPolicy> = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/**
 * Starts a replacement and resolves once it is ready (for a service: GET /health answered
 * 200). On failure, or when `signal` aborts, it stops what it started and rejects.
 */
export type Starter = (signal: AbortSignal) => Promise<ManagedProcess>;

export interface SupervisorOptions {
  log: LogSink;
  policy: RestartPolicy;
  /** Every exit of a process that was up, before its restart is scheduled. */
  onExit?: (name: string, exit: ExitInfo) => void;
  /** A process crash-looped. Restarting has stopped by then; stopping the rest is the caller's. */
  onCrashLoop: (error: StackError) => void;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Restarts processes of the stack that die while it is up, with exponential back-off, and
 * gives up on a crash loop. Ordered shutdown stays the stack's: `halt()` first, so that the
 * exits a shutdown causes are never mistaken for crashes.
 */
export class Supervisor {
  private readonly crashTimes = new Map<string, number[]>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly aborter = new AbortController();

  constructor(private readonly options: SupervisorOptions) {}

  get halted(): boolean {
    return this.aborter.signal.aborted;
  }

  /** Watches a process that is up; whenever it exits, `start` brings up its replacement. */
  supervise(name: string, proc: ManagedProcess, start: Starter): void {
    void proc.exited.then((exit) => {
      if (this.halted) return;
      this.options.onExit?.(name, exit);
      const task = this.recover(name, describeExit(exit), logTail(proc), start);
      this.tasks.add(task);
      void task.finally(() => this.tasks.delete(task));
    });
  }

  /** Stops restarting: pending back-offs end, replacements being started are stopped. */
  async halt(): Promise<void> {
    this.aborter.abort();
    await Promise.all([...this.tasks]);
  }

  private async recover(name: string, what: string, tail: string, start: Starter): Promise<void> {
    const { policy, log } = this.options;
    for (;;) {
      const crashes = this.recordCrash(name);
      if (crashes >= policy.maxCrashes) {
        this.aborter.abort();
        const message =
          `${name} ${what}: ${crashes} crashes within ${seconds(policy.windowMs)}, so it is crash-looping. ` +
          `Giving up and stopping the stack; fix the error and start it again.${tail}`;
        log("stack", message, "stderr");
        this.options.onCrashLoop(new StackError(message));
        return;
      }
      const delay = Math.min(policy.initialDelayMs * 2 ** (crashes - 1), policy.maxDelayMs);
      log(
        "stack",
        `${name} ${what}; restarting in ${seconds(delay)} (crash ${crashes} of ${policy.maxCrashes} allowed within ${seconds(policy.windowMs)})`,
        "stderr",
      );
      await sleep(delay, this.aborter.signal);
      if (this.halted) return;
      try {
        const proc = await start(this.aborter.signal);
        if (this.halted) return;
        log("stack", `${name} is back up (pid ${proc.pid})`, "stdout");
        this.supervise(name, proc, start);
        return;
      } catch (error) {
        if (this.halted) return;
        // A replacement that never got ready is one more crash of the same process.
        const [first, ...rest] = (error as Error).message.split("\n");
        what = `did not come back (${first})`;
        tail = rest.length > 0 ? `\n${rest.join("\n")}` : "";
      }
    }
  }

  /** Counts this crash; returns how many fall within the window, this one included. */
  private recordCrash(name: string): number {
    const now = Date.now();
    const recent = (this.crashTimes.get(name) ?? []).filter((at) => now - at < this.options.policy.windowMs);
    recent.push(now);
    this.crashTimes.set(name, recent);
    return recent.length;
  }
}
