/**
 * The internal tokens the gateway attaches to its calls to a subgraph, signed here with the
 * test stack's own gateway key: what lets a test call a subgraph directly as anyone, and what
 * anyone holding one (from a log, a proxy, a heap dump) could replay at a subgraph's port for
 * its minute of life.
 */
import { decodeJwt } from "jose";
import { inject } from "vitest";
import { loadSigningKeys, signInternalToken, type SigningKey } from "@asky/auth";
import { isRole, type Viewer } from "@asky/contracts";
import type { ServiceName } from "@asky/db";

let gatewayKey: Promise<SigningKey> | undefined;

/** The stack's gateway signing key, read once per test file. */
function stackGatewayKey(): Promise<SigningKey> {
  gatewayKey ??= loadSigningKeys({
    owner: "gateway",
    jwks: undefined,
    keysDir: inject("keysDir"),
    production: false,
  }).then(([key]) => {
    if (!key) throw new Error("the test stack's key store holds no gateway key");
    return key;
  });
  return gatewayKey;
}

/** A token for `audience` on behalf of `viewer`, or of nobody (an anonymous operation, or a service's own work). */
export async function internalToken(audience: ServiceName, viewer: Viewer | null): Promise<string> {
  return signInternalToken(await stackGatewayKey(), { issuer: "gateway", audience, viewer });
}

/** A token on behalf of nobody: no session to revoke. */
export const tokenWithoutViewer = (audience: string): Promise<string> =>
  stackGatewayKey().then((key) => signInternalToken(key, { issuer: "gateway", audience, viewer: null }));

/** The token the gateway would attach for the signed-in client holding `accessToken` (its session included). */
export async function internalTokenFor(accessToken: string, audience: string): Promise<string> {
  const claims = decodeJwt(accessToken);
  if (
    typeof claims.sub !== "string" ||
    !isRole(claims.role) ||
    typeof claims.sid !== "string" ||
    typeof claims.iat_ms !== "number"
  ) {
    throw new Error("not an access token of a session");
  }
  const viewer = { id: claims.sub, role: claims.role, ward: typeof claims.ward === "string" ? claims.ward : null };
  return signInternalToken(await stackGatewayKey(), {
    issuer: "gateway",
    audience,
    viewer,
    clientIp: "127.0.0.1",
    sessionId: claims.sid,
    accessIssuedAtMs: claims.iat_ms,
  });
}
