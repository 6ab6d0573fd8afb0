import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { AccessRevocations, parseBearer, type VerifiedAccessToken } from "@asky/auth";
import { currentRequestId, RefusedRequest, sendJson, type Logger } from "@asky/runtime";
import { clientAddress } from "../../admission/client-address.js";
import type { GatewayMetrics } from "../../metrics.js";
import { admitOperation, type OperationChecks } from "../admit-operation.js";
import type { ConnectionQuota } from "../connection-quota.js";
import type { ConnectionState, OperationContext } from "../connection-state.js";
import type { SubscriptionHub } from "../subscription-hub.js";
import {
  badRequest,
  internalError,
  subscriptionsOnly,
  tokenRefusal,
  tooManyStreams,
  unauthenticated,
} from "./stream-refusals.js";
import { readStreamRequest } from "./stream-request.js";
import type { SseOutbox } from "./sse-outbox.js";
import { SseStream } from "./sse-stream.js";

/** Where graphql-sse clients subscribe (distinct connections mode); README, "Subscriptions over SSE". */
export const EVENT_STREAM_PATH = "/graphql/stream";

/** What admission checks (admit-operation.ts, as for WebSockets), and the stream's own needs. */
export interface EventStreamOptions extends OperationChecks {
  verify: (token: string) => Promise<VerifiedAccessToken>;
  revocations: AccessRevocations;
  hub: SubscriptionHub;
  metrics: GatewayMetrics;
  logger: Logger;
  trustedProxyHops: number;
  /** Shared with the WebSockets: a stream is one of its user's connections. */
  quota: ConnectionQuota;
  /** The HTTP body limit of a signed-in request (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  limits: { maxBufferedBytesPerSocket: number; pingIntervalSeconds: number };
}

export interface EventStreams {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends every stream without `complete`, so that clients reconnect (to another replica). */
  close(): void;
}

const maxTimer = 2 ** 31 - 1;
type StreamState = ConnectionState<SseOutbox>;

function acceptsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").toLowerCase().includes("text/event-stream");
}

/** Before the stream is open, refusals are plain GraphQL-over-HTTP answers. */
function refuseHttp(res: ServerResponse, status: number, error: GraphQLError, headers: Record<string, string> = {}) {
  sendJson(res, status, { errors: [error.toJSON()] }, headers);
}

/**
 * Subscriptions over Server-Sent Events, graphql-sse's distinct connections mode: one POST
 * per subscription, answered with an event stream. The same engine as the WebSockets
 * (ws-server.ts) behind it: token checks and expiry, revocations, the per-user connection
 * quota, admission (admit-operation.ts: rate limits, operation limits, validation, plan and
 * subscribe-time authorization), the shared hub and its replay, the byte budget. graphql-sse's
 * own handler is not used: it queues every event without bound, pings on a timer of its own,
 * and refuses a body without `query` (a trusted document sent by hash).
 */
export function startEventStreams(options: EventStreamOptions): EventStreams {
  const { metrics, limits, logger } = options;
  const states = new Map<SseStream, StreamState>();
  let closing = false;

  const stopListening = options.revocations.onRevoked((revocation) => {
    for (const [stream, state] of states) {
      if (AccessRevocations.applies(revocation, state.token)) stream.endWith([unauthenticated("SESSION_REVOKED")]);
    }
  });
  const pinger = setInterval(() => {
    for (const stream of states.keys()) stream.ping();
  }, limits.pingIntervalSeconds * 1000);
  pinger.unref();

  /** Token, allowance, body and quota: the stream's counterpart of a socket's connection_init. */
  const open = async (req: IncomingMessage, stream: SseStream): Promise<StreamState | GraphQLError> => {
    const token = parseBearer(req.headers.authorization);
    if (!token) return unauthenticated("TOKEN_MISSING");
    let verified: VerifiedAccessToken;
    try {
      verified = await options.verify(token);
    } catch (error) {
      logger.info({ reason: (error as Error).message }, "rejected event stream access token");
      return tokenRefusal(error);
    }
    const address = clientAddress(req, options.trustedProxyHops);
    try {
      options.admission?.take(address, verified.viewer.id);
    } catch (error) {
      if (error instanceof RefusedRequest) return error.error;
      throw error;
    }
    const admitted = options.quota.openSocket(verified.viewer.id);
    if ("refused" in admitted) {
      logger.info(
        { userId: verified.viewer.id, limit: admitted.limit },
        "refused an event stream over the per-user limit",
      );
      return tooManyStreams(admitted.limit);
    }
    const expiry = setTimeout(
      () => stream.endWith([unauthenticated("TOKEN_EXPIRED")]),
      Math.min(maxTimer, Math.max(0, verified.expiresAt.getTime() - Date.now())),
    );
    expiry.unref();
    return {
      address,
      context: {
        requestId: currentRequestId(),
        viewer: verified.viewer,
        clientIp: req.socket.remoteAddress ?? null,
        sessionId: verified.sessionId,
        accessIssuedAtMs: verified.issuedAtMs,
      },
      token: verified,
      expiry,
      outbox: stream.outbox,
      quota: admitted.admitted,
      subscribers: new Set(),
    };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, stream: SseStream): Promise<void> => {
    const state = await open(req, stream);
    if (state instanceof GraphQLError) return stream.endWith([state]);
    states.set(stream, state);
    metrics.activeEventStreams.add(1);
    const release = () => {
      states.delete(stream);
      clearTimeout(state.expiry);
      metrics.activeEventStreams.add(-1);
      state.quota.close();
      for (const subscriber of state.subscribers) void subscriber.return();
    };
    if (stream.readyState === stream.OPEN) res.once("close", release);
    else return release();
    // Shutdown began while its token was checked: it missed close()'s goAway.
    if (closing) return stream.goAway();

    // The body only once the token is known good: an anonymous caller cannot make the gateway read a megabyte.
    const payload = await readStreamRequest(req, options.maxBodyBytes);
    if (payload instanceof GraphQLError) return stream.endWith([payload]);
    const args = await admitOperation(stream, state, "", payload, options);
    if (Array.isArray(args)) return stream.endWith(args);
    const operation = args.contextValue as OperationContext<SseStream, SseOutbox>;
    if (operation.kind !== "subscription") return stream.endWith([subscriptionsOnly()]);
    const { slot } = operation;
    const subscriber = options.hub.subscribe(operation.plan, operation.context, stream.sink(), {
      onOverflow: () => stream.cutOff(),
      onEnd: (ended) => {
        state.subscribers.delete(ended);
        slot.release();
        // After this turn: an overflow (cutOff, which follows at once) must not write `complete`.
        queueMicrotask(() => stream.complete());
      },
    });
    stream.attach(subscriber);
    stream.start();
    // A replay joined under way may already have ended it (the stream overflowed).
    if (!subscriber.ended) state.subscribers.add(subscriber);
  };

  return {
    async handle(req, res) {
      if (req.method !== "POST") {
        return refuseHttp(
          res,
          405,
          badRequest("METHOD_NOT_ALLOWED", `Subscribe with POST ${EVENT_STREAM_PATH} (Accept: text/event-stream)`),
          { allow: "POST" },
        );
      }
      if (!acceptsEventStream(req)) {
        return refuseHttp(
          res,
          406,
          badRequest("NOT_ACCEPTABLE", "This path answers with Accept: text/event-stream only"),
        );
      }
      if (closing) {
        return refuseHttp(res, 503, badRequest("SHUTTING_DOWN", "The gateway is shutting down; reconnect"), {
          "retry-after": "1",
        });
      }
      // Every later refusal is a `next` error followed by `complete` on an accepted stream, as
      // graphql-sse's protocol asks: a 4xx would only tell its client to retry blindly.
      const stream = new SseStream(res, limits.maxBufferedBytesPerSocket);
      try {
        await serve(req, res, stream);
      } catch (error) {
        logger.error({ err: error }, "event stream failed");
        stream.endWith([internalError()]);
      }
    },
    close() {
      closing = true;
      stopListening();
      clearInterval(pinger);
      for (const stream of [...states.keys()]) stream.goAway();
    },
  };
}

/** The HTTP server listens just before subscriptions start: a stream asked for meanwhile is retried. */
export function notStartedYet(res: ServerResponse): void {
  refuseHttp(res, 503, badRequest("NOT_READY", "Subscriptions are starting; retry shortly"), { "retry-after": "1" });
}
