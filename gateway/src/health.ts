import { sendJson, type Logger, type RouteHandler } from "@asky/runtime";
import { healthUrlOf } from "./subgraphs.js";

type FeedState = "current" | "stale";

/**
 * 200 once the supergraph is loaded and every subgraph answers its own /health: a load
 * balancer must not send nurses to a gateway that cannot reach the pharmacy's data.
 *
 * A stale revocation feed or request event feed makes the status "degraded" but keeps the
 * 200: the gateway still refuses every revoked token (it asks the users service instead),
 * subscribers get the events they missed once the feed catches up, and taking every replica
 * out of rotation during a NATS outage would turn a slower path into no path at all.
 */
export function gatewayHealth(
  isSupergraphLoaded: () => boolean,
  subgraphUrls: Readonly<Record<string, string>>,
  logger: Logger,
  feeds: { revocation: () => FeedState; requestEvents: () => FeedState },
): RouteHandler {
  return async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(subgraphUrls).map(async ([name, url]) => {
        try {
          const response = await fetch(healthUrlOf(url), { signal: AbortSignal.timeout(2_000) });
          return [name, response.ok ? "ok" : `status ${response.status}`] as const;
        } catch (error) {
          logger.warn({ err: error, subgraph: name }, "subgraph health check failed");
          return [name, "unreachable"] as const;
        }
      }),
    );
    const subgraphs = Object.fromEntries(checks);
    const loaded = isSupergraphLoaded();
    const healthy = loaded && checks.every(([, status]) => status === "ok");
    const revocationFeed = feeds.revocation();
    const eventFeed = feeds.requestEvents();
    const status = !healthy
      ? "unavailable"
      : revocationFeed === "current" && eventFeed === "current"
        ? "ok"
        : "degraded";
    sendJson(
      res,
      healthy ? 200 : 503,
      { status, supergraph: loaded ? "loaded" : "missing", subgraphs, revocationFeed, eventFeed },
      { "cache-control": "no-store" },
    );
  };
}
