import { sendJson, type Logger, type RouteHandler } from "@asky/common";
import { healthUrlOf } from "./subgraphs.js";

/**
 * 200 once the supergraph is loaded and every subgraph answers its own /health: a load
 * balancer must not send nurses to a gateway that cannot reach the pharmacy's data.
 */
export function gatewayHealth(
  isSupergraphLoaded: () => boolean,
  subgraphUrls: Readonly<Record<string, string>>,
  logger: Logger,
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
    sendJson(res, healthy ? 200 : 503, { status: healthy ? "ok" : "unavailable", supergraph: loaded ? "loaded" : "missing", subgraphs }, { "cache-control": "no-store" });
  };
}
