import type http from "node:http";
import { GraphQLError, getOperationAST, OperationTypeNode, parse, print, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { AccessRevocations, errors, isContractError, parseBearer, RefusedRequest, type Logger, type VerifiedAccessToken } from "@asky/common";
import type { GatewayContext } from "../context.js";
import type { GatewayMetrics } from "../metrics.js";
import { SocketClose } from "./close-codes.js";
import { clientAddress } from "../admission/client-address.js";
import type { GatewayAdmission } from "../admission/gateway-admission.js";
import type { OperationExecutor } from "./execute-operation.js";
import type { SubscriptionHub } from "./subscription-hub.js";
import type { Subscriber } from "./subscriber.js";
import { planSubscription, type SubscriptionPlan } from "./subscription-plan.js";
import type { SubscriptionRegistry } from "./subscription-registry.js";
import { authorizeSubscription } from "./authorize-subscription.js";
import { socketSink } from "./socket-sink.js";
import { SocketOutbox } from "./socket-outbox.js";
import { ConnectionQuota, type Lease, type QuotaLimits, type QuotaReason, type SocketQuota } from "./connection-quota.js";
import { startKeepAlive } from "./keep-alive.js";

type SignedInContext = GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> };

interface ConnectionState {
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

type OperationContext =
  | { kind: "subscription"; id: string; plan: SubscriptionPlan; context: SignedInContext; socket: WebSocket; state: ConnectionState; slot: Lease }
  | { kind: "operation"; context: SignedInContext };

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
  /** Reverse proxies whose X-Forwarded-For names the client (see clientAddress). */
  trustedProxyHops: number;
  limits: QuotaLimits & {
    /** Bytes a socket may have waiting to be sent before its client is cut off as too slow. */
    maxBufferedBytesPerSocket: number;
    pingIntervalSeconds: number;
  };
}

const maxTimer = 2 ** 31 - 1;

function close(socket: WebSocket, reason: { code: number; reason: string }): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(reason.code, reason.reason);
}

const refusals: Record<Exclude<QuotaReason, "MAX_SOCKETS_PER_USER">, (limit: number) => string> = {
  MAX_SUBSCRIPTIONS_PER_SOCKET: (limit) => `At most ${limit} subscriptions per connection`,
  MAX_SUBSCRIPTIONS_PER_USER: (limit) => `At most ${limit} subscriptions per user on this server`,
};

function asErrors(error: unknown): GraphQLError[] {
  if (isContractError(error)) return [error];
  return [errors.badUserInput(error instanceof Error ? error.message : "Invalid operation")];
}

/**
 * graphql-ws on the gateway's HTTP server and path. The access token comes in
 * `connectionParams.authorization`; the socket closes with 4401 when it is missing, bad,
 * or expires, so a client always knows to reconnect with a fresh token.
 */
export function startWebSocketServer(options: WebSocketOptions): { close(): Promise<void> } {
  const { logger, metrics, limits } = options;
  const states = new Map<WebSocket, ConnectionState>();
  const quota = new ConnectionQuota(limits);
  const stopListening = options.revocations.onRevoked((revocation) => {
    for (const [socket, state] of states) {
      if (AccessRevocations.applies(revocation, state.token)) close(socket, SocketClose.revoked);
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
    close(socket, SocketClose.tooSlow);
    for (const subscriber of state.subscribers) void subscriber.return();
  };

  const server = useServer<Record<string, unknown>>(
    {
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const token = parseBearer(ctx.connectionParams?.authorization);
        if (!token) {
          close(socket, SocketClose.unauthorized);
          return false;
        }
        let verified: VerifiedAccessToken;
        try {
          verified = await options.verify(token);
        } catch (error) {
          logger.info({ reason: (error as Error).message }, "rejected WebSocket access token");
          close(socket, SocketClose.unauthorized);
          return false;
        }
        // Closed while its token was checked: its close event has passed already.
        if (socket.readyState !== socket.OPEN) return false;
        try {
          options.admission?.take(clientAddress(request, options.trustedProxyHops), verified.viewer.id);
        } catch (error) {
          if (!(error instanceof RefusedRequest)) throw error;
          close(socket, SocketClose.rateLimited);
          return false;
        }
        const admission = quota.openSocket(verified.viewer.id);
        if ("refused" in admission) {
          logger.info({ userId: verified.viewer.id, limit: admission.limit }, "refused a WebSocket over the per-user limit");
          close(socket, SocketClose.tooManySockets);
          return false;
        }
        const expiry = setTimeout(() => close(socket, SocketClose.tokenExpired), Math.min(maxTimer, Math.max(0, verified.expiresAt.getTime() - Date.now())));
        expiry.unref();
        const context: SignedInContext = {
          requestId: `ws-${Date.now().toString(36)}`,
          viewer: verified.viewer,
          clientIp: request.socket.remoteAddress ?? null,
          sessionId: verified.sessionId,
          accessIssuedAtMs: verified.issuedAtMs,
        };
        const state: ConnectionState = {
          address: clientAddress(request, options.trustedProxyHops),
          context,
          token: verified,
          expiry,
          outbox: new SocketOutbox(socket, request.socket, limits.maxBufferedBytesPerSocket),
          quota: admission.admitted,
          subscribers: new Set(),
        };
        states.set(socket, state);
        metrics.activeSockets.inc();
        // One listener per socket, not per subscription: a long-lived socket may open and
        // end many subscriptions.
        socket.once("close", () => {
          states.delete(socket);
          clearTimeout(expiry);
          metrics.activeSockets.dec();
          state.quota.close();
          for (const subscriber of state.subscribers) void subscriber.return();
        });
        return true;
      },

      onSubscribe: async (ctx, id, payload) => {
        const socket = ctx.extra.socket;
        const state = states.get(socket);
        const schema = options.schema();
        if (!state) return [errors.unauthenticated()];
        if (!schema) return [new GraphQLError("The gateway is not ready yet", { extensions: { code: "INTERNAL_SERVER_ERROR" } })];
        let document: DocumentNode;
        try {
          // Every subscribe draws on the same allowance as an HTTP request, and is measured
          // by the same limits before graphql-js parses or validates it at full cost.
          options.admission?.take(state.address, state.context.viewer.id);
          document = options.admission?.admitOperation(payload, state.context.viewer.id)?.document ?? parse(payload.query, { maxTokens: 5_000 });
        } catch (error) {
          if (error instanceof RefusedRequest) return [error.error];
          return asErrors(error);
        }
        const validationErrors = validate(schema, document);
        if (validationErrors.length > 0) return validationErrors.map((error) => errors.badUserInput(error.message));
        const variableValues = payload.variables ?? {};
        const operation = getOperationAST(document, payload.operationName);
        const base = { schema, document, variableValues, operationName: payload.operationName ?? null };
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) {
          return { ...base, contextValue: { kind: "operation", context: state.context } satisfies OperationContext };
        }
        // Taken before the first await: see SocketQuota.reserveSubscription.
        const reserved = state.quota.reserveSubscription();
        if ("refused" in reserved) {
          return [errors.limitReached(refusals[reserved.refused](reserved.limit), reserved.refused, { limit: reserved.limit })];
        }
        const slot = reserved.admitted;
        try {
          const { viewer } = state.context;
          const plan = planSubscription(options.registry, schema, document, payload.operationName, variableValues, viewer);
          await authorizeSubscription(plan, state.context, options.execute);
          // Cut off (or closed) meanwhile: its close event may be the close timeout away.
          if (socket.readyState !== socket.OPEN) {
            slot.release();
            return [errors.badUserInput("The connection is closing")];
          }
          // From here the subscription owns the slot and gives it back when it ends.
          return { ...base, contextValue: { kind: "subscription", id, plan, context: state.context, socket, state, slot } satisfies OperationContext };
        } catch (error) {
          slot.release();
          return asErrors(error);
        }
      },

      subscribe: (args) => {
        const operation = args.contextValue as OperationContext;
        if (operation.kind !== "subscription") throw new Error("subscribe called for a non-subscription operation");
        const { state, socket, slot } = operation;
        const subscriber = options.hub.subscribe(operation.plan, operation.context, socketSink(state.outbox, operation.id), {
          onOverflow: () => cutOff(socket, state),
          onEnd: (ended) => {
            state.subscribers.delete(ended);
            slot.release();
          },
        });
        // A replay joined under way may already have ended it (the socket overflowed).
        if (!subscriber.ended) state.subscribers.add(subscriber);
        return subscriber;
      },

      execute: (args) => {
        const operation = args.contextValue as OperationContext;
        return options.execute(print(args.document), (args.variableValues ?? {}) as Record<string, unknown>, operation.context);
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
      for (const client of wss.clients) close(client, SocketClose.goingAway);
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
