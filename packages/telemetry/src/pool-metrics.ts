import { askyMeter } from "./tracer.js";

/** What node-postgres pools report of themselves, structurally. */
export interface CountingPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/**
 * Connections in use and callers waiting for one, per pool: a pool that runs dry is where a
 * slow statement turns into every nurse waiting, and the waiting count shows it first.
 */
export function observePool(pool: CountingPool, name: string): void {
  const meter = askyMeter();
  const connections = meter.createObservableGauge("asky_db_pool_connections", {
    description: "Database connections of the pool, by state (used, idle)",
  });
  const waiting = meter.createObservableGauge("asky_db_pool_waiting_requests", {
    description: "Callers waiting for a database connection of the pool",
  });
  meter.addBatchObservableCallback(
    (result) => {
      result.observe(connections, pool.totalCount - pool.idleCount, { pool: name, state: "used" });
      result.observe(connections, pool.idleCount, { pool: name, state: "idle" });
      result.observe(waiting, pool.waitingCount, { pool: name });
    },
    [connections, waiting],
  );
}
