import type { WebSocket } from "ws";
import type { VerifiedAccessToken } from "@asky/auth";
import type { GatewayContext } from "../context.js";
import type { Lease, SocketQuota } from "./connection-quota.js";
import type { SocketOutbox } from "./socket-outbox.js";
import type { Subscriber } from "./subscriber.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

export type SignedInContext = GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> };

/**
 * What admission (admit-operation.ts) asks of the transport an operation came on: whether it
 * is still open. A WebSocket, or an SSE stream (sse/) that answers the same way.
 */
export interface OpenTransport {
  readonly readyState: number;
  readonly OPEN: number;
}

/**
 * One authenticated connection: a WebSocket from its connection_init until it closes, or an
 * SSE stream (whose outbox writes event-stream frames instead).
 */
export interface ConnectionState<Outbox = SocketOutbox> {
  /** The client's address as rate limits count it. */
  address: string;
  context: SignedInContext;
  token: VerifiedAccessToken;
  expiry: NodeJS.Timeout;
  /** Where this socket's subscriptions write, within its byte budget. */
  outbox: Outbox;
  /** This socket's share of its user's sockets and subscriptions. */
  quota: SocketQuota;
  /** Open subscriptions of this socket; all end when it closes. */
  subscribers: Set<Subscriber>;
}

/** What graphql-ws hands back to `subscribe` and `execute` for one admitted operation. */
export type OperationContext<Transport extends OpenTransport = WebSocket, Outbox = SocketOutbox> =
  | {
      kind: "subscription";
      id: string;
      plan: SubscriptionPlan;
      context: SignedInContext;
      socket: Transport;
      state: ConnectionState<Outbox>;
      slot: Lease;
    }
  | { kind: "operation"; context: SignedInContext };

export function closeSocket(socket: WebSocket, reason: { code: number; reason: string }): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
    socket.close(reason.code, reason.reason);
  }
}
