import type pg from "pg";
import type { Logger } from "./logger.js";
import { currentRequestId } from "./request-context.js";

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * At LOG_LEVEL=trace, logs every statement this subgraph sends (text only, never the
 * parameters: they hold patient-adjacent data) with the request's correlation id. That is
 * how a developer, or the batching test, counts the queries one GraphQL operation costs.
 */
export function traceQueries(pool: pg.Pool, logger: Logger): void {
  if (!logger.isLevelEnabled("trace")) return;
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as AnyQuery;
    const traced: AnyQuery = (...args) => {
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: unknown } | undefined)?.text;
      if (typeof text === "string") logger.trace({ correlationId: currentRequestId(), sql: text }, "sql");
      return original(...args);
    };
    client.query = traced as typeof client.query;
  });
}
