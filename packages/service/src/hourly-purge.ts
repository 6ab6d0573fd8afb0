import type { Closeable, Logger } from "@asky/runtime";

const HOUR_MS = 60 * 60 * 1000;

export interface HourlyPurge {
  /** Names the job in its log lines (`component`). */
  readonly name: string;
  /** Deletes what is past its retention; resolves to how many rows went. */
  readonly purge: () => Promise<number>;
  /** The log line of a pass that deleted something, e.g. "purged expired sign-in data". */
  readonly purged: string;
}

/**
 * Tables that only grow (sign-in attempts, delivery logs) are purged by every replica a minute
 * after start and then hourly. The deletes are idempotent, so replicas racing each other only
 * repeat work, and no lease is needed. A failed pass is logged and the next one tries again;
 * closing waits for a pass under way.
 */
export function startHourlyPurge(job: HourlyPurge, logger: Logger): Closeable {
  const log = logger.child({ component: job.name });
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = job.purge().then(
      (deleted) => {
        if (deleted > 0) log.info({ deleted }, job.purged);
      },
      (error: unknown) => log.warn({ err: error }, `${job.name} failed; will retry`),
    );
  };
  const first = setTimeout(pass, 60_000);
  const hourly = setInterval(pass, HOUR_MS);
  first.unref();
  hourly.unref();
  return {
    async close() {
      clearTimeout(first);
      clearInterval(hourly);
      await running;
    },
  };
}
