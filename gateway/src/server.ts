import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { cachedTokenVerifier, createAccessTokenVerifier, loadSigningKeys } from "@asky/auth";
import {
  closeAll,
  createErrorFormatter,
  HEALTH_PATH,
  OperationGuard,
  operationLimitsOf,
  startHttpHost,
  type Closeable,
  type Logger,
} from "@asky/runtime";
import { connectNats, ensureStream } from "@asky/events";
import { graphqlTelemetryPlugin } from "@asky/telemetry";
import { startGatewayRevocationChecks } from "./revocation/gateway-revocation-checks.js";
import { requireSignInPlugin } from "./anonymous-operations.js";
import { valueCompletionErrors } from "./value-completion.js";
import { boardRoutes } from "./board.js";
import { explorerRoutes } from "./explorer.js";
import { jwksRoute } from "./jwks-route.js";
import { CONTROLLED_BOOK_CSV_PATH, controlledBookCsvRoute } from "./reports/controlled-book-route.js";
import { pharmacyReportRoutes } from "./reports/pharmacy-reports.js";
import { subgraphUrlsOf, usersJwksUrlOf, type GatewayConfig } from "./config.js";
import { createGatewayContext, type GatewayContext } from "./context.js";
import { SubgraphDataSource } from "./data-source.js";
import { gatewayHealth } from "./health.js";
import { GatewayMetrics } from "./metrics.js";
import { startSubscriptions, type Subscriptions } from "./subscriptions/index.js";
import { EVENT_STREAM_PATH, notStartedYet } from "./subscriptions/sse/event-streams.js";
import { supergraphFile } from "./supergraph-file.js";
import { gatewayAdmission } from "./admission/gateway-admission.js";
import { ReplicaPresence } from "./admission/replica-presence.js";
import { hideTopology } from "./hide-topology.js";
import { loadTrustedDocuments, trustedDocumentsPlugin, trustedHttpAdmission } from "./trusted-documents/index.js";

export interface GatewayOptions {
  /**
   * Identical concurrent subgraph reads for the same caller share one in-flight call
   * (subgraph-fetcher.ts). Default true; the benchmarks turn it off to compare like for like.
   */
  shareSubgraphReads?: boolean;
  /**
   * Operation limits and rate limits before Apollo Server (admission/). Default true: no
   * environment variable turns them off; only the benchmark passes false, to measure their cost.
   */
  admission?: boolean;
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<Closeable & { url: string }> {
  const urls = subgraphUrlsOf(config);
  const production = config.nodeEnv === "production";
  const [signingKey] = await loadSigningKeys({
    owner: "gateway",
    jwks: config.signingJwks || undefined,
    keysDir: config.keysDir,
    production,
  });
  const jwksUrl = usersJwksUrlOf(config);
  const metrics = new GatewayMetrics();
  // Before anything connects: a bad manifest, or none where one is required, stops the start.
  const trusted = await loadTrustedDocuments(config, logger, metrics.refusedOperations);
  const nats = await connectNats(config.natsUrls, "asky-gateway", logger);
  // The gateway's feeds only read the stream, but a gateway started first creates it (or
  // scales it up) with the replica count every service is given (NATS_STREAM_REPLICAS).
  await ensureStream(nats, { replicas: config.natsStreamReplicas, logger });
  const revocationChecks = startGatewayRevocationChecks({
    config,
    nats,
    usersUrl: config.usersUrl,
    key: signingKey,
    metrics,
    logger,
  });
  const { revocations } = revocationChecks;
  const verifyAccessToken = revocationChecks.verifier(
    cachedTokenVerifier(createAccessTokenVerifier(jwksUrl), (token) => token.expiresAt.getTime()),
  );
  const presence = new ReplicaPresence(nats, logger);
  presence.start();
  metrics.observeReplicas(() => presence.count());
  let loaded = false;
  let subscriptions: Subscriptions | null = null;
  let apiSchema: GraphQLSchema | null = null;
  // @apollo/gateway otherwise starts, in its constructor, a metrics exporter of its own that
  // probes cloud metadata endpoints and reports usage to Apollo's servers every few minutes: a
  // hospital's gateway talks to its own subgraphs and its own collector, nothing else. An
  // operator who wants it sets APOLLO_TELEMETRY_DISABLED=false explicitly.
  process.env.APOLLO_TELEMETRY_DISABLED ??= "true";
  const gateway = new ApolloGateway({
    // Spans without the document or exception messages: both can carry what a nurse typed.
    telemetry: { includeDocument: false, recordExceptions: false },
    supergraphSdl: supergraphFile(config.supergraphPath, logger),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: urls[name] ?? url ?? "",
        key: signingKey,
        metrics,
        shareReads: options.shareSubgraphReads ?? true,
        timeoutMs: config.subgraphTimeoutMs,
        logger,
      }),
    logger,
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    loaded = true;
    apiSchema = schema;
    subscriptions?.schemaChanged(schema);
  });

  const guard = new OperationGuard({ schema: () => apiSchema, limits: operationLimitsOf(config) });
  const masked = createErrorFormatter(logger);
  const formatError = (formatted: GraphQLFormattedError, error: unknown) => hideTopology(masked(formatted, error));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Which subgraph answered, and where it lives, is the hospital's topology, not clients' business.
    formatError,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo's default pretty-prints every response (slower, ~25% more bytes).
    stringifyResult: (result) => JSON.stringify(result),
    // Operations by hash are trusted documents (trusted-documents/), resolved before Apollo
    // Server reads the request: its own automatic persisted queries would run, by hash, any
    // text a client once sent, and answer unknown hashes in its own words.
    persistedQueries: false,
    introspection: config.introspection === "on" || (config.introspection === "auto" && !production),
    // No "Did you mean …?" in production: suggestions spell out the schema to whoever guesses.
    hideSchemaDetailsFromClientErrors: production,
    // Apollo's default landing page pulls its UI from a CDN, which closed hospital
    // networks cannot reach; browsers get our self-hosted explorer instead (landingPage below).
    // graphqlTelemetryPlugin names the operation on the request's span and latency histogram;
    // @apollo/gateway adds its own spans (gateway.request, .plan, .execute, .fetch) under it.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      trustedDocumentsPlugin(trusted),
      requireSignInPlugin,
      valueCompletionErrors(formatError),
      graphqlTelemetryPlugin<GatewayContext>(),
    ],
    logger,
  });

  const admission = gatewayAdmission({
    config,
    guard,
    verify: verifyAccessToken,
    replicas: () => presence.count(),
    metrics,
    logger,
  });
  const explorer = explorerRoutes();
  const board = boardRoutes();
  const context = createGatewayContext(verifyAccessToken, logger);
  const http = await startHttpHost({
    apollo,
    context,
    logger,
    port: config.port,
    host: config.host,
    // Trusted documents first, then (with the text that will run) limits and rate limits.
    admission: trustedHttpAdmission({
      trusted,
      inner: options.admission === false ? null : admission,
      verify: verifyAccessToken,
      maxBodyBytes: config.maxBodyBytes,
    }),
    liveness: { maxEventLoopDelayMs: config.livenessMaxEventLoopDelayMs },
    routes: {
      [HEALTH_PATH]: gatewayHealth(() => loaded, urls, logger, {
        revocation: revocationChecks.feedState,
        // Stale until subscriptions start, just after the HTTP server.
        requestEvents: () => subscriptions?.eventFeedState() ?? "stale",
      }),
      "/.well-known/jwks.json": jwksRoute(jwksUrl, logger),
      // Subscriptions over Server-Sent Events (graphql-sse), served by the same engine as the WebSockets.
      [EVENT_STREAM_PATH]: (req, res) =>
        subscriptions ? subscriptions.serveEventStream(req, res) : notStartedYet(res),
      // The controlled substances book as CSV, through this gateway's own execution and authorization.
      [CONTROLLED_BOOK_CSV_PATH]: controlledBookCsvRoute(
        apollo,
        context,
        logger,
        options.admission === false ? null : admission,
      ),
      // The reports subgraph's turnaround, fill rate and consumption, the same way.
      ...pharmacyReportRoutes({ apollo, context, logger, admission: options.admission === false ? null : admission }),
      // The reference ward board (gateway/board): /board goes to /board/.
      ...board.routes,
    },
    // The host serves /metrics: the gateway's figures (metrics.ts) with every service's, behind the token.
    metricsToken: config.metricsToken,
    // Self-hosted GraphiQL (gateway/explorer) for browsers at GET /graphql, its files under /explorer/.
    landingPage: explorer.landingPage,
    // The reference ward board's page and files under /board/.
    prefixRoutes: { ...explorer.prefixRoutes, ...board.prefixRoutes },
  });
  subscriptions = await startSubscriptions({
    nats,
    revocations,
    httpServer: http.server,
    apollo,
    verify: verifyAccessToken,
    metrics,
    logger,
    limits: config,
    admission: options.admission === false ? null : admission,
    trusted,
    trustedProxyHops: config.trustedProxyHops,
    maxBodyBytes: config.maxBodyBytes,
  });
  if (apiSchema) subscriptions.schemaChanged(apiSchema);
  const live = subscriptions;
  return {
    url: http.url,
    close: () =>
      closeAll(
        live,
        http,
        () => revocationChecks.close(),
        async () => presence.close(),
        () => nats.drain(),
      ),
  };
}
