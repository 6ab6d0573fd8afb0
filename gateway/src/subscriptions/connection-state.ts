import type { WebSocket } from "ws";
import type { VerifiedAccessToken } from "@asky/auth";
import type { GatewayContext } from "../context.js";
import type { Lease, SocketQuota } from "./connection-quota.js";
import type { SocketOutbox } from "./socket-outbox.js";
import type { Subscriber } from "./subscriber.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

export type SignedInContext = GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> };

/** One authenticated WebSocket, from its connection_init until it closes. */
export interface ConnectionState {
  /** The client's address as rate limits count it. */
  address: string;
  context: SignedInContext;
  token: VerifiedAccessToken;
  expiry: NodeJS.Timeout;
  /** Where this socket's subscriptions write, within its byte budget. */
  outbox: SocketOutbox;
  /** This socket's share of its user's sockets and subscriptions. */
  quota: SocketQuota;
  /** Open subscriptions of this socket; all end when it closes. */
  subscribers: Set<Subscriber>;
}

/** What graphql-ws hands back to `subscribe` and `execute` for one admitted operation. */
export type OperationContext =
  | {
      kind: "subscription";
      id: string;
      plan: SubscriptionPlan;
      context: SignedInContext;
      socket: WebSocket;
      state: ConnectionState;
      slot: Lease;
    }
  | { kind: "operation"; context: SignedInContext };

export function closeSocket(socket: WebSocket, reason: { code: number; reason: string }): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
    socket.close(reason.code, reason.reason);
  }
}
