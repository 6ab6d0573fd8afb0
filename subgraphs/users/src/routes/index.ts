import { createInternalTokenVerifier, SESSION_STATUS_PATH } from "@asky/auth";
import { type RouteHandler } from "@asky/runtime";
import type { UsersRuntime } from "../context.js";
import { jwksRoute } from "./jwks.js";
import { sessionStatusRoute } from "./session-status.js";

/** The users service's HTTP routes besides GraphQL and /health. */
export function usersRoutes({ config, keys, database, logger }: UsersRuntime): Readonly<Record<string, RouteHandler>> {
  // Gateways and the other subgraphs ask whether a session still holds (they refuse the token
  // otherwise); clients never reach the endpoint.
  const verifyAsker = createInternalTokenVerifier("users", {
    trusted: ["gateway", "dispensers", "requests", "reports"],
    jwks: config.trustedJwks || undefined,
    keysDir: config.nodeEnv === "production" ? undefined : config.keysDir,
  });
  return {
    "/.well-known/jwks.json": jwksRoute(keys),
    [SESSION_STATUS_PATH]: sessionStatusRoute(database.db, verifyAsker, logger),
  };
}
