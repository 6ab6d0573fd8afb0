import type { RouteHandler } from "./http-server.js";
import { sendJson } from "./send-json.js";
import type { EventLoopWatch } from "./event-loop-watch.js";

/**
 * The two plain routes orchestrators probe on every Asky service (Kubernetes, Docker, the
 * gateway polling its subgraphs, `npm start`'s supervisor).
 *
 * - HEALTH_PATH, readiness: 200 while the service can do its work, 503 while a dependency it
 *   needs is unavailable (Postgres at a subgraph, a subgraph at the gateway). Each service
 *   mounts its own handler there, since what it depends on differs.
 * - LIVENESS_PATH, liveness: answered by the process alone, touching no dependency, so that a
 *   dependency outage never restarts anything. The HTTP host serves it on every service.
 */
export const HEALTH_PATH = "/health";
export const LIVENESS_PATH = "/livez";

/**
 * How long a block of the event loop keeps the liveness route at 503. The liveness probes run
 * every 10 s (deploy/kubernetes): with a window as long, every block between two probes is
 * seen by the next one, and a single one fails at most two probes, one short of a restart.
 */
export const LIVENESS_WINDOW_MS = 10_000;

export interface LivenessOptions {
  /** Longest block of the event loop within the window that still answers 200; 0: no check. */
  readonly maxEventLoopDelayMs: number;
}

const noStore = { "cache-control": "no-store" };

/**
 * 200 `{"status":"alive"}` whenever the process answers, unless its event loop was blocked
 * longer than the bound within the last LIVENESS_WINDOW_MS: then 503 `{"status":"stalled"}`
 * with how long that block lasted. Synchronous and allocation-light: probes call it often.
 */
export function livenessRoute(watch: EventLoopWatch, options: LivenessOptions): RouteHandler {
  return (_req, res) => {
    const reading = watch.reading();
    if (!reading.stalled) return sendJson(res, 200, { status: "alive" }, noStore);
    sendJson(
      res,
      503,
      {
        status: "stalled",
        eventLoopBlockedMs: Math.round(reading.blockedMs),
        maxEventLoopDelayMs: options.maxEventLoopDelayMs,
        windowMs: LIVENESS_WINDOW_MS,
      },
      noStore,
    );
  };
}
