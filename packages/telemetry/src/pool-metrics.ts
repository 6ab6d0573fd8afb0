import type { BatchObservableResult, Observable } from "@opentelemetry/api";
import { askyMeter } from "./tracer.js";

/** What node-postgres pools report of themselves, structurally. */
export interface CountingPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

interface PoolGauges {
  readonly connections: Observable;
  readonly waiting: Observable;
  readonly pools: Map<string, CountingPool>;
}

let gauges: PoolGauges | null = null;

function poolGauges(): PoolGauges {
  if (gauges) return gauges;
  const meter = askyMeter();
  const created: PoolGauges = {
    connections: meter.createObservableGauge("asky_db_pool_connections", {
      description: "Database connections of the pool, by state (used, idle)",
    }),
    waiting: meter.createObservableGauge("asky_db_pool_waiting_requests", {
      description: "Callers waiting for a database connection of the pool",
    }),
    pools: new Map(),
  };
  meter.addBatchObservableCallback(
    (result: BatchObservableResult) => {
      for (const [name, pool] of created.pools) {
        result.observe(created.connections, pool.totalCount - pool.idleCount, { pool: name, state: "used" });
        result.observe(created.connections, pool.idleCount, { pool: name, state: "idle" });
        result.observe(created.waiting, pool.waitingCount, { pool: name });
      }
    },
    [created.connections, created.waiting],
  );
  gauges = created;
  return created;
}

/**
 * Connections in use and callers waiting for one, per pool: a pool that runs dry is where a
 * slow statement turns into every nurse waiting, and the waiting count shows it first.
 */
export function observePool(pool: CountingPool, name: string): void {
  poolGauges().pools.set(name, pool);
}
