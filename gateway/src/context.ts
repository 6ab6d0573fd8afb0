import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { currentRequestId, ErrorCode, errors, type Logger } from "@asky/runtime";
import { parseBearer, SessionUnverifiableError, type VerifiedAccessToken } from "@asky/auth";
import { type Viewer } from "@asky/contracts";
import { tokenRefusalMessages, tokenRefusalReason, type TokenRefusalReason } from "./token-refusal.js";

/** What the gateway knows about an incoming operation. */
export interface GatewayContext {
  readonly requestId: string;
  /** Null for anonymous operations (login, refreshToken, introspection). */
  readonly viewer: Viewer | null;
  readonly clientIp: string | null;
  /** The access token's session, forwarded so services can tell sessions apart. */
  readonly sessionId: string | null;
  /** The access token's issuedAtMs, forwarded so a subgraph can hold the call to its revocations. */
  readonly accessIssuedAtMs: number | null;
}

/** 401 with the reason SSE streams and WebSocket closes give too (token-refusal.ts). */
function unauthenticated(reason: TokenRefusalReason, message = tokenRefusalMessages[reason]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, reason, http: { status: 401 } } });
}

/** Null without a header; a header that is not `Bearer <token>` is refused outright. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const token = parseBearer(header);
  if (token === null) throw unauthenticated("TOKEN_INVALID", "Authorization header must be 'Bearer <accessToken>'");
  return token;
}

/**
 * A token that is present but fails verification is refused outright, never downgraded
 * to an anonymous request: a client with a stale token must learn it and log in again.
 */
export function createGatewayContext(verify: (token: string) => Promise<VerifiedAccessToken>, logger: Logger) {
  return async (req: IncomingMessage): Promise<GatewayContext> => {
    const requestId = currentRequestId();
    const clientIp = req.socket.remoteAddress ?? null;
    const token = bearerToken(req.headers.authorization);
    if (token === null) return { requestId, viewer: null, clientIp, sessionId: null, accessIssuedAtMs: null };
    try {
      const { viewer, sessionId, issuedAtMs } = await verify(token);
      return { requestId, viewer, clientIp, sessionId, accessIssuedAtMs: issuedAtMs };
    } catch (error) {
      logger.info({ reason: (error as Error).message, correlationId: requestId, clientIp }, "rejected access token");
      if (error instanceof SessionUnverifiableError) throw errors.sessionUnverifiable();
      throw unauthenticated(tokenRefusalReason(error));
    }
  };
}
