import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startedTelemetry } from "./start-telemetry.js";

/**
 * Serves metrics only to callers presenting the configured bearer token (METRICS_TOKEN), on
 * every service alike. The figures tell an outsider how busy each service is, how many screens
 * are live and how far behind the events are, which is nobody else's business; a wrong or
 * missing token, or no token configured at all, gets the same 404 as a path that does not exist.
 */
export function metricsRoute(token: string): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res) => {
    const given = Buffer.from(req.headers.authorization ?? "");
    if (token === "" || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return;
    }
    const telemetry = startedTelemetry();
    if (!telemetry) {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("Telemetry not started");
      return;
    }
    res.setHeader("cache-control", "no-store");
    telemetry.prometheus(req, res);
  };
}
