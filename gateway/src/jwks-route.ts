import { sendJson, type Logger, type RouteHandler } from "@asky/runtime";

/**
 * Re-serves the users service's JWKS at the gateway, the only host clients can reach, so
 * that other systems can verify Asky access tokens. Cached briefly; the users service
 * stays the single source of the keys.
 */
export function jwksRoute(usersJwksUrl: string, logger: Logger, maxAgeSeconds = 60): RouteHandler {
  let cached: { body: unknown; until: number } | null = null;
  return async (_req, res) => {
    if (!cached || cached.until < Date.now()) {
      try {
        const response = await fetch(usersJwksUrl, { signal: AbortSignal.timeout(3_000) });
        if (!response.ok) throw new Error(`status ${response.status}`);
        cached = { body: await response.json(), until: Date.now() + maxAgeSeconds * 1000 };
      } catch (error) {
        logger.warn({ err: error }, "could not fetch the users JWKS");
        if (!cached) return sendJson(res, 503, { error: "key set unavailable" });
      }
    }
    sendJson(res, 200, cached.body, { "cache-control": `public, max-age=${maxAgeSeconds}` });
  };
}
