import type pg from "pg";
import type { Closeable, Logger } from "@asky/runtime";
import type { RequestsDb } from "../data/db.js";
import { markDueSlas } from "../services/sla-marks.js";
import { recordLeaseHeld, recordSlaPass, startSlaMetrics } from "../sla-metrics.js";

/** The advisory lock every replica's clock competes for (a constant of this service). */
const LEASE_KEY = "asky.requests.sla_clock";

export interface SlaClockOptions {
  readonly db: RequestsDb;
  /** The service pool: the lease is a session-level advisory lock on one of its connections, held. */
  readonly pool: pg.Pool;
  /** 1 to 99: the share of a stage's window after which it warns. */
  readonly warningPercent: number;
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * The turnaround clock: one replica at a time marks due warnings and breaches (services/
 * sla-marks.ts). The lease is a Postgres advisory lock held by a session: it is the holder's as
 * long as its connection lives, and Postgres drops it the moment that connection ends (the
 * process died, or its connection did), so another replica's next attempt, at most one
 * interval later, takes it over. The lease saves work; exactly once is the marks' conditional
 * update, which holds even if two replicas were to run a pass at once (a holder whose lost
 * connection it has not noticed yet).
 */
export function startSlaClock(options: SlaClockOptions): Closeable {
  const log = options.logger.child({ component: "sla-clock" });
  const share = options.warningPercent / 100;
  startSlaMetrics();
  let session: pg.PoolClient | null = null;
  let holding = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const dropSession = (error?: unknown) => {
    if (!session) return;
    if (holding) log.warn({ err: error }, "lost the SLA clock lease");
    // Destroyed, not returned to the pool: the lock must not outlive this holder's turn.
    session.release(true);
    session = null;
    holding = false;
    recordLeaseHeld(false);
  };

  /** True when this replica holds the lease (taking it if free); checks the session is alive. */
  async function lease(): Promise<boolean> {
    if (!session) {
      session = await options.pool.connect();
      session.on("error", (error) => dropSession(error));
    }
    const { rows } = await session.query<{ held: boolean }>(
      holding ? "select true as held" : "select pg_try_advisory_lock(hashtext($1)) as held",
      holding ? [] : [LEASE_KEY],
    );
    const held = rows[0]?.held === true;
    if (held && !holding) log.info("took the SLA clock lease");
    holding = held;
    recordLeaseHeld(held);
    return held;
  }

  async function pass(): Promise<void> {
    // Passes of the holder only, timed from the lease check; one that failed is labelled so.
    const started = performance.now();
    try {
      if (!(await lease())) return;
      const written = await markDueSlas(options.db, share);
      recordSlaPass("ok", performance.now() - started);
      if (written > 0) log.info({ events: written }, "marked SLA warnings and breaches");
    } catch (error) {
      const held = holding;
      log.warn({ err: error }, "SLA clock pass failed; will retry");
      dropSession(error);
      if (held) recordSlaPass("failed", performance.now() - started);
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, options.intervalMs);
  };
  schedule();

  return {
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      // Ending the session hands the lease to another replica at once.
      dropSession();
      recordLeaseHeld(false);
    },
  };
}
