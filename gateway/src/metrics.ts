import type { Counter, Histogram, UpDownCounter } from "@opentelemetry/api";
import { askyMeter, lagBuckets, secondsBuckets } from "@asky/telemetry";

/** What the revocation feed gauges are read from at each collection. */
export interface RevocationFeedReading {
  current(): boolean;
  /** Seconds since the feed was last proven complete (see FeedWatermark.provenAgeMs). */
  ageSeconds(): number;
}

/**
 * The gateway's own figures, on the process's OpenTelemetry meter: Prometheus scrapes them
 * from /metrics (metricsRoute of @asky/telemetry, next to the process and HTTP metrics every
 * service has) and they go to OTLP too when a collector is configured. They answer the
 * operational questions a hospital IT team asks of a gateway (how many live screens, how much
 * load on each subgraph and how fast it answers, how late live updates arrive) and let tests
 * and benchmarks count subgraph calls from outside.
 *
 * The Prometheus names are a contract (alerts, dashboards, tests and the benchmarks read them):
 * a monotonic counter named `x` is exported as `x_total`, everything else under its own name.
 * Created once the process's telemetry has started (GatewayMetrics is built by startGateway):
 * a meter taken earlier would record nothing.
 */
export class GatewayMetrics {
  readonly subgraphRequests: Counter;
  readonly subgraphRequestsShared: Counter;
  readonly subgraphRequestDuration: Histogram;
  readonly payloadExecutions: Counter;
  readonly payloadSeconds: Counter;
  readonly eventToFanoutSeconds: Counter;
  readonly fanoutDuration: Histogram;
  readonly eventLag: Histogram;
  readonly activeSubscriptions: UpDownCounter;
  readonly activeSockets: UpDownCounter;
  readonly activeEventStreams: UpDownCounter;
  readonly refusedOperations: Counter;
  readonly sessionChecks: Counter;

  private replicaCount: (() => number) | null = null;
  private revocationFeed: RevocationFeedReading | null = null;
  private eventFeedIsCurrent: (() => boolean) | null = null;

  constructor() {
    const meter = askyMeter();
    this.subgraphRequests = meter.createCounter("asky_gateway_subgraph_requests", {
      description: "HTTP calls made to each subgraph",
    });
    this.subgraphRequestsShared = meter.createCounter("asky_gateway_subgraph_requests_shared", {
      description: "Subgraph reads answered by an identical call already in flight (not sent)",
    });
    this.subgraphRequestDuration = meter.createHistogram("asky_gateway_subgraph_request_duration_seconds", {
      description: "Duration of each HTTP call sent to a subgraph, by subgraph and outcome (ok: a 2xx answer)",
      unit: "s",
      advice: { explicitBucketBoundaries: secondsBuckets },
    });
    this.payloadExecutions = meter.createCounter("asky_gateway_subscription_payload_executions", {
      description: "Subscription payloads resolved (once per event and group)",
    });
    this.payloadSeconds = meter.createCounter("asky_gateway_subscription_payload_seconds", {
      description: "Time spent resolving subscription payloads (divide by the executions count for the mean)",
      unit: "s",
    });
    this.eventToFanoutSeconds = meter.createCounter("asky_gateway_subscription_event_to_fanout_seconds", {
      description: "Per execution: time from the change's commit to the payload written to every subscriber's socket",
      unit: "s",
    });
    this.fanoutDuration = meter.createHistogram("asky_gateway_subscription_fanout_duration_seconds", {
      description:
        "Per event and subscription group: time to resolve the payload and write it to every subscriber's socket",
      unit: "s",
      advice: { explicitBucketBoundaries: secondsBuckets },
    });
    this.eventLag = meter.createHistogram("asky_gateway_subscription_event_lag_seconds", {
      description:
        "Per event and subscription group: time from the change's commit (the event's occurredAt) to the payload written to every subscriber's socket",
      unit: "s",
      advice: { explicitBucketBoundaries: lagBuckets },
    });
    this.activeSubscriptions = meter.createUpDownCounter("asky_gateway_active_subscriptions", {
      description: "Subscriptions currently open",
    });
    this.activeSockets = meter.createUpDownCounter("asky_gateway_active_websockets", {
      description: "WebSocket connections currently open",
    });
    // The SSE transport's connections, apart: asky_gateway_active_subscriptions counts both
    // transports' subscriptions, unlabelled, as dashboards and benchmarks read it.
    this.activeEventStreams = meter.createUpDownCounter("asky_gateway_active_event_streams", {
      description: "Subscription streams over Server-Sent Events (POST /graphql/stream) currently open",
    });
    this.refusedOperations = meter.createCounter("asky_gateway_refused_requests", {
      description:
        "Requests refused before execution, by reason (limits, rate limits, bad tokens, operations outside the trusted documents)",
    });
    this.sessionChecks = meter.createCounter("asky_gateway_session_checks", {
      description:
        "Access tokens checked with the users service because the revocation feed was stale, by outcome (active, revoked, unverifiable)",
    });

    // A series that exists from the start, at 0, rather than appearing with its first event:
    // dashboards and rate() then see the whole history, and a scrape shows every figure.
    for (const unlabelled of [this.payloadExecutions, this.payloadSeconds, this.eventToFanoutSeconds]) {
      unlabelled.add(0);
    }
    this.activeSubscriptions.add(0);
    this.activeSockets.add(0);
    this.activeEventStreams.add(0);
    for (const outcome of ["active", "revoked", "unverifiable"]) this.sessionChecks.add(0, { outcome });

    const replicas = meter.createObservableGauge("asky_gateway_replicas", {
      description: "Gateway replicas this one hears (itself included); rate limits are divided by it",
    });
    const revocationFeedCurrent = meter.createObservableGauge("asky_gateway_revocation_feed_current", {
      description:
        "1 while the access revocation feed is proven complete; 0 while each access token is checked with the users service instead",
    });
    const revocationFeedAge = meter.createObservableGauge("asky_gateway_revocation_feed_age_seconds", {
      description:
        "Seconds since the access revocation feed was last proven complete (from the start of the process until it first is); the feed counts as current while this is under REVOCATION_FEED_MAX_AGE_MS",
      unit: "s",
    });
    const eventFeedCurrent = meter.createObservableGauge("asky_gateway_event_feed_current", {
      description:
        "1 while the request event feed that serves subscriptions is proven to have read every stored event; 0 while subscribers may be getting events late (NATS down, stalled, or the feed behind)",
    });
    meter.addBatchObservableCallback(
      (result) => {
        if (this.replicaCount) result.observe(replicas, this.replicaCount());
        if (this.revocationFeed) {
          result.observe(revocationFeedCurrent, this.revocationFeed.current() ? 1 : 0);
          result.observe(revocationFeedAge, this.revocationFeed.ageSeconds());
        }
        // Stale until the subscriptions' feed has started, as /health says.
        result.observe(eventFeedCurrent, this.eventFeedIsCurrent?.() ? 1 : 0);
      },
      [replicas, revocationFeedCurrent, revocationFeedAge, eventFeedCurrent],
    );
  }

  /** Where the replicas gauge is read from at each collection. */
  observeReplicas(count: () => number): void {
    this.replicaCount = count;
  }

  /** Where the revocation feed gauges are read from at each collection. */
  observeRevocationFeed(feed: RevocationFeedReading): void {
    this.revocationFeed = feed;
  }

  /** Where the request event feed gauge is read from at each collection. */
  observeEventFeed(current: () => boolean): void {
    this.eventFeedIsCurrent = current;
  }
}
