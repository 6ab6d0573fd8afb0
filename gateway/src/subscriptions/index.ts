import type http from "node:http";
import { GraphQLError, parse, validate, type GraphQLSchema } from "graphql";
import type { ApolloServer } from "@apollo/server";
import type { NatsConnection } from "@nats-io/transport-node";
import { ErrorCode, loadConfig, type Closeable, type Logger } from "@asky/runtime";
import { type AccessRevocations, type VerifiedAccessToken } from "@asky/auth";
import type { GatewayContext } from "../context.js";
import type { GatewayMetrics } from "../metrics.js";
import { ConnectionQuota } from "./connection-quota.js";
import { EventFeed } from "./event-feed.js";
import { EventFeedWatch, eventFeedWatchDefaults, type EventFeedState } from "./event-feed-watch.js";
import { operationExecutor, payloadExecutor } from "./execute-operation.js";
import { ReplayRuns } from "./replay-runs.js";
import { subscriptionEnv, type SubscriptionLimits } from "./subscription-config.js";
import { SubscriptionHub } from "./subscription-hub.js";
import type { SubscriptionRegistry } from "./subscription-registry.js";
import { subscriptionFields } from "./fields/index.js";
import { startWebSocketServer } from "./ws-server.js";
import { startEventStreams } from "./sse/event-streams.js";
import type { GatewayAdmission } from "../admission/gateway-admission.js";
import type { TrustedDocuments } from "../trusted-documents/index.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

export interface SubscriptionsOptions {
  nats: NatsConnection;
  revocations: AccessRevocations;
  httpServer: http.Server;
  apollo: ApolloServer<GatewayContext>;
  verify: (token: string) => Promise<VerifiedAccessToken>;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Defaults to the process environment, which the gateway's own config is read from too. */
  limits?: SubscriptionLimits;
  /** The gateway's operation limits and rate limits, applied to sockets as to HTTP requests. */
  admission: GatewayAdmission | null;
  /** Which operations may run, by hash or as text (trusted-documents/), as over HTTP. */
  trusted: TrustedDocuments;
  trustedProxyHops: number;
  /** The subscription fields served; defaults to every field of fields/index.ts. */
  registry?: SubscriptionRegistry;
  /** The HTTP body limit of a signed-in request (MAX_BODY_BYTES), for SSE subscribe requests. */
  maxBodyBytes: number;
}

export interface Subscriptions extends Closeable {
  /** Call with each new API schema: subscriptions it no longer supports end with an error. */
  schemaChanged(schema: GraphQLSchema): void;
  /** Whether subscribers are proven to be getting events as they are published. */
  eventFeedState(): EventFeedState;
  /** POST /graphql/stream: a subscription over Server-Sent Events (sse/event-streams.ts). */
  serveEventStream(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}

function supergraphChanged(): GraphQLError {
  return new GraphQLError("The schema changed and no longer supports this subscription; resubscribe", {
    extensions: { code: ErrorCode.BAD_USER_INPUT, reason: "SUPERGRAPH_CHANGED" },
  });
}

/**
 * Live updates for clients: graphql-ws on the gateway's /graphql and graphql-sse on
 * /graphql/stream (one engine, one hub, one quota for both), fed by NATS JetStream,
 * payloads resolved through the gateway's own query planning. The engine knows no domain:
 * what each Subscription field delivers, to whom, is its file in fields/.
 */
export async function startSubscriptions(options: SubscriptionsOptions): Promise<Subscriptions> {
  const { logger } = options;
  const registry = options.registry ?? subscriptionFields;
  const feed = new EventFeed(options.nats, registry.contracts, logger);
  await feed.start();
  const watch = new EventFeedWatch(feed, eventFeedWatchDefaults, logger);
  watch.start();
  options.metrics.observeEventFeed(() => watch.state() === "current");
  const limits = options.limits ?? loadConfig(subscriptionEnv);
  const execute = operationExecutor(options.apollo);
  const executePayload = payloadExecutor(execute);
  const replays = new ReplayRuns(
    feed,
    executePayload,
    {
      maxEvents: limits.replayMaxEvents,
      maxAgeMs: limits.replayMaxAgeSeconds * 1000,
      perUser: limits.replaysPerUser,
    },
    logger,
  );
  const hub = new SubscriptionHub(feed, executePayload, replays, options.metrics, logger);
  let schema: GraphQLSchema | null = null;
  // One count per user for WebSockets and SSE streams alike: a stream is a connection too.
  const quota = new ConnectionQuota(limits);
  const ws = startWebSocketServer({
    httpServer: options.httpServer,
    path: "/graphql",
    verify: options.verify,
    schema: () => schema,
    revocations: options.revocations,
    hub,
    registry,
    execute,
    metrics: options.metrics,
    logger,
    limits,
    admission: options.admission,
    trusted: options.trusted,
    trustedProxyHops: options.trustedProxyHops,
    quota,
  });
  const sse = startEventStreams({
    verify: options.verify,
    schema: () => schema,
    revocations: options.revocations,
    hub,
    registry,
    execute,
    metrics: options.metrics,
    logger,
    admission: options.admission,
    trusted: options.trusted,
    trustedProxyHops: options.trustedProxyHops,
    quota,
    maxBodyBytes: options.maxBodyBytes,
    limits,
  });
  return {
    eventFeedState: () => watch.state(),
    serveEventStream: (req, res) => sse.handle(req, res),
    schemaChanged(next) {
      const previous = schema;
      schema = next;
      if (!previous) return;
      const unsupported = (plan: SubscriptionPlan) =>
        validate(next, parse(plan.payloadQuery)).length > 0 ||
        !next.getSubscriptionType()?.getFields()[plan.field.name];
      const ended = hub.endWhere(unsupported, { errors: [supergraphChanged()] });
      if (ended > 0) logger.warn({ ended }, "supergraph reload ended subscriptions it no longer supports");
    },
    async close() {
      watch.close();
      sse.close();
      await ws.close();
      await feed.close();
    },
  };
}
