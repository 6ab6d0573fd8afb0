import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import { parseBearer, type VerifiedAccessToken } from "@asky/auth";
import { RefusedRequest, type Logger } from "@asky/runtime";
import { clientAddress } from "../admission/client-address.js";
import type { GatewayAdmission } from "../admission/gateway-admission.js";
import { SocketClose } from "./close-codes.js";
import type { ConnectionQuota } from "./connection-quota.js";
import { closeSocket, type ConnectionState } from "./connection-state.js";
import { SocketOutbox } from "./socket-outbox.js";

export interface ConnectionChecks {
  verify: (token: string) => Promise<VerifiedAccessToken>;
  admission: GatewayAdmission | null;
  trustedProxyHops: number;
  quota: ConnectionQuota;
  maxBufferedBytesPerSocket: number;
  logger: Logger;
}

const maxTimer = 2 ** 31 - 1;

/**
 * A socket's connection_init: the access token from `connectionParams.authorization`, the
 * request allowance and the user's socket quota. Null once the socket has been closed with
 * the reason (4401 for a missing or bad token, 4431 rate limited, 4430 too many sockets); a
 * socket admitted is closed with 4401 when its token expires.
 */
export async function openConnection(
  socket: WebSocket,
  request: IncomingMessage,
  authorization: unknown,
  checks: ConnectionChecks,
): Promise<ConnectionState | null> {
  const token = parseBearer(authorization);
  if (!token) {
    closeSocket(socket, SocketClose.unauthorized);
    return null;
  }
  let verified: VerifiedAccessToken;
  try {
    verified = await checks.verify(token);
  } catch (error) {
    checks.logger.info({ reason: (error as Error).message }, "rejected WebSocket access token");
    closeSocket(socket, SocketClose.unauthorized);
    return null;
  }
  // Closed while its token was checked: its close event has passed already.
  if (socket.readyState !== socket.OPEN) return null;
  const address = clientAddress(request, checks.trustedProxyHops);
  try {
    checks.admission?.take(address, verified.viewer.id);
  } catch (error) {
    if (!(error instanceof RefusedRequest)) throw error;
    closeSocket(socket, SocketClose.rateLimited);
    return null;
  }
  const admission = checks.quota.openSocket(verified.viewer.id);
  if ("refused" in admission) {
    const refused = { userId: verified.viewer.id, limit: admission.limit };
    checks.logger.info(refused, "refused a WebSocket over the per-user limit");
    closeSocket(socket, SocketClose.tooManySockets);
    return null;
  }
  const expiry = setTimeout(
    () => closeSocket(socket, SocketClose.tokenExpired),
    Math.min(maxTimer, Math.max(0, verified.expiresAt.getTime() - Date.now())),
  );
  expiry.unref();
  return {
    address,
    context: {
      requestId: `ws-${Date.now().toString(36)}`,
      viewer: verified.viewer,
      clientIp: request.socket.remoteAddress ?? null,
      sessionId: verified.sessionId,
      accessIssuedAtMs: verified.issuedAtMs,
    },
    token: verified,
    expiry,
    outbox: new SocketOutbox(socket, request.socket, checks.maxBufferedBytesPerSocket),
    quota: admission.admitted,
    subscribers: new Set(),
  };
}
