import type http from "node:http";
import { print, type GraphQLSchema } from "graphql";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { AccessRevocations, type VerifiedAccessToken } from "@asky/auth";
import { type Logger } from "@asky/runtime";
import type { GatewayMetrics } from "../metrics.js";
import type { GatewayAdmission } from "../admission/gateway-admission.js";
import type { TrustedDocuments } from "../trusted-documents/index.js";
import { admitOperation } from "./admit-operation.js";
import { SocketClose } from "./close-codes.js";
import type { ConnectionQuota, QuotaLimits } from "./connection-quota.js";
import { closeSocket, type ConnectionState, type OperationContext } from "./connection-state.js";
import type { OperationExecutor } from "./execute-operation.js";
import { startKeepAlive } from "./keep-alive.js";
import { openConnection } from "./open-connection.js";
import { socketSink } from "./socket-sink.js";
import type { SubscriptionHub } from "./subscription-hub.js";
import type { SubscriptionRegistry } from "./subscription-registry.js";

export interface WebSocketOptions {
  httpServer: http.Server;
  path: string;
  verify: (token: string) => Promise<VerifiedAccessToken>;
  schema: () => GraphQLSchema | null;
  revocations: AccessRevocations;
  hub: SubscriptionHub;
  registry: SubscriptionRegistry;
  execute: OperationExecutor;
  metrics: GatewayMetrics;
  logger: Logger;
  /**
   * Operation limits and rate limits, shared with HTTP (admission/gateway-admission.ts).
   * Absent only in the benchmark's comparison gateway.
   */
  admission: GatewayAdmission | null;
  /** Trusted documents (trusted-documents/), shared with HTTP. */
  trusted: TrustedDocuments;
  /** Reverse proxies whose X-Forwarded-For names the client (see clientAddress). */
  trustedProxyHops: number;
  /** Each user's connections and subscriptions on this process, shared with the SSE streams. */
  quota: ConnectionQuota;
  limits: QuotaLimits & {
    /** Bytes a socket may have waiting to be sent before its client is cut off as too slow. */
    maxBufferedBytesPerSocket: number;
    pingIntervalSeconds: number;
  };
}

/**
 * graphql-ws on the gateway's HTTP server and path. The access token comes in
 * `connectionParams.authorization`; the socket closes with 4401 when it is missing, bad,
 * or expires, or when its session is revoked, so a client always knows to reconnect with a
 * fresh token.
 */
export function startWebSocketServer(options: WebSocketOptions): { close(): Promise<void> } {
  const { metrics, limits } = options;
  const states = new Map<WebSocket, ConnectionState>();
  const connectionChecks = { ...options, maxBufferedBytesPerSocket: limits.maxBufferedBytesPerSocket };
  const stopListening = options.revocations.onRevoked((revocation) => {
    for (const [socket, state] of states) {
      if (AccessRevocations.applies(revocation, state.token)) closeSocket(socket, SocketClose.revoked);
    }
  });
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: 64 * 1024 });
  const stopKeepAlive = startKeepAlive(wss, limits.pingIntervalSeconds * 1000);

  /**
   * A client that stopped reading: what it never read is dropped so that the close frame
   * comes next, and its subscriptions end now rather than when the close handshake ends.
   */
  const cutOff = (socket: WebSocket, state: ConnectionState) => {
    state.outbox.discard();
    closeSocket(socket, SocketClose.tooSlow);
    for (const subscriber of state.subscribers) void subscriber.return();
  };

  const server = useServer<Record<string, unknown>>(
    {
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const state = await openConnection(socket, request, ctx.connectionParams?.authorization, connectionChecks);
        if (!state) return false;
        states.set(socket, state);
        metrics.activeSockets.add(1);
        // One listener per socket, not per subscription: a long-lived socket may open and
        // end many subscriptions.
        socket.once("close", () => {
          states.delete(socket);
          clearTimeout(state.expiry);
          metrics.activeSockets.add(-1);
          state.quota.close();
          for (const subscriber of state.subscribers) void subscriber.return();
        });
        return true;
      },

      onSubscribe: (ctx, id, payload) => {
        const { socket } = ctx.extra;
        return admitOperation(socket, states.get(socket), id, payload, options);
      },

      subscribe: (args) => {
        const operation = args.contextValue as OperationContext;
        if (operation.kind !== "subscription") throw new Error("subscribe called for a non-subscription operation");
        const { state, socket, slot } = operation;
        const subscriber = options.hub.subscribe(
          operation.plan,
          operation.context,
          socketSink(state.outbox, operation.id),
          {
            onOverflow: () => cutOff(socket, state),
            onEnd: (ended) => {
              state.subscribers.delete(ended);
              slot.release();
            },
          },
        );
        // A replay joined under way may already have ended it (the socket overflowed).
        if (!subscriber.ended) state.subscribers.add(subscriber);
        return subscriber;
      },

      execute: (args) => {
        const operation = args.contextValue as OperationContext;
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        return options.execute(print(args.document), variables, operation.context);
      },
    },
    wss,
    // Our own keep-alive (keep-alive.ts) replaces graphql-ws's.
    0,
  );

  return {
    async close() {
      stopListening();
      stopKeepAlive();
      for (const client of wss.clients) closeSocket(client, SocketClose.goingAway);
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
