import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import {
  parseBearer,
  AccessRevokedError,
  type RevocationChecks,
  SessionUnverifiableError,
  type InternalIdentity,
} from "@asky/auth";
import { ErrorCode, errors, currentRequestId, type Logger } from "@asky/runtime";

/** `extensions.reason` of a call refused because the person's access was taken back. */
export const ACCESS_REVOKED = "ACCESS_REVOKED";

function unauthenticated(message: string, reason?: string): GraphQLError {
  // extensions.http makes Apollo Server answer 401 instead of 200 or 500.
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, ...(reason ? { reason } : {}), http: { status: 401 } },
  });
}

/**
 * Every subgraph operation must carry an internal token signed by a trusted caller: a
 * subgraph port reached directly, bypassing the gateway, yields nothing. A token made on
 * behalf of a person is also held to the person's revocations, as the gateway holds access
 * tokens: an internal token lives a minute, and one minted just before a logout must not
 * outlive the logout by more than the gateway's own two seconds. Service work (no viewer)
 * has no session to revoke.
 */
export function internalAuthenticator(
  verify: (token: string) => Promise<InternalIdentity>,
  revocations: RevocationChecks,
  logger: Logger,
) {
  return async (req: IncomingMessage): Promise<InternalIdentity> => {
    const token = parseBearer(req.headers.authorization);
    if (!token) throw unauthenticated("Missing internal token");
    let identity: InternalIdentity;
    try {
      identity = await verify(token);
    } catch (error) {
      logger.warn({ reason: (error as Error).message, correlationId: currentRequestId() }, "rejected internal token");
      throw unauthenticated("Invalid internal token");
    }
    if (identity.viewer === null) return identity;
    try {
      await revocations.check({
        viewer: identity.viewer,
        sessionId: identity.sessionId,
        issuedAtMs: identity.accessIssuedAtMs,
      });
      return identity;
    } catch (error) {
      if (!(error instanceof AccessRevokedError || error instanceof SessionUnverifiableError)) throw error;
      logger.info(
        {
          reason: error.message,
          caller: identity.caller,
          userId: identity.viewer.id,
          correlationId: currentRequestId(),
        },
        "refused an internal token",
      );
      if (error instanceof SessionUnverifiableError) throw errors.sessionUnverifiable();
      throw unauthenticated("Access revoked", ACCESS_REVOKED);
    }
  };
}
