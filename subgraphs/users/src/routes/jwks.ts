import { publicKeySet, type SigningKeys } from "@asky/auth";
import { sendJson, type RouteHandler } from "@asky/runtime";

/**
 * GET /.well-known/jwks.json: the public half of every signing key, so the gateway (and
 * anyone else) can verify access tokens. The whole set is served, not just the signing
 * key, so tokens signed before a rotation stay verifiable until they expire.
 */
export function jwksRoute(keys: SigningKeys): RouteHandler {
  const body = publicKeySet(keys);
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: "method not allowed" }, { allow: "GET, HEAD" });
      return;
    }
    sendJson(res, 200, body, { "cache-control": "public, max-age=300" });
  };
}
