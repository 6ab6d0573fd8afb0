/**
 * The internal token the gateway attaches to its calls to a subgraph on behalf of a signed-in
 * client, signed here with the stack's gateway key: what anyone holding one (from a log, a
 * proxy, a heap dump) could replay at the subgraph's port for its minute of life.
 */
import { decodeJwt } from "jose";
import { inject } from "vitest";
import type {} from "@asky/stack/testing";
import { isRole, loadSigningKeys, signInternalToken } from "@asky/common";

const gatewayKey = loadSigningKeys({ owner: "gateway", jwks: undefined, keysDir: inject("keysDir"), production: false }).then(([key]) => key);

export async function internalTokenFor(accessToken: string, audience: string): Promise<string> {
  const claims = decodeJwt(accessToken);
  if (typeof claims.sub !== "string" || !isRole(claims.role) || typeof claims.sid !== "string" || typeof claims.iat_ms !== "number") {
    throw new Error("not an access token of a session");
  }
  const viewer = { id: claims.sub, role: claims.role, ward: typeof claims.ward === "string" ? claims.ward : null };
  return signInternalToken(await gatewayKey, {
    issuer: "gateway",
    audience,
    viewer,
    clientIp: "127.0.0.1",
    sessionId: claims.sid,
    accessIssuedAtMs: claims.iat_ms,
  });
}

/** A token on behalf of nobody (an anonymous operation, or a service's own work): no session to revoke. */
export async function tokenWithoutViewer(audience: string): Promise<string> {
  return signInternalToken(await gatewayKey, { issuer: "gateway", audience, viewer: null });
}
