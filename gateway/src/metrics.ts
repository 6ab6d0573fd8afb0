import { timingSafeEqual } from "node:crypto";
import type { RouteHandler } from "@asky/runtime";

/**
 * A few counters in Prometheus' text format. They answer the operational questions a
 * hospital IT team asks of a gateway (how many live screens, how much load on each
 * subgraph) and let tests and benchmarks count subgraph calls from outside.
 */
class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge" = "counter",
  ) {}

  inc(label = "", by = 1): void {
    this.values.set(label, (this.values.get(label) ?? 0) + by);
  }

  set(value: number, label = ""): void {
    this.values.set(label, value);
  }

  dec(label = ""): void {
    this.inc(label, -1);
  }

  render(labelName: string): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [label, value] of this.values) {
      lines.push(label === "" ? `${this.name} ${value}` : `${this.name}{${labelName}="${label}"} ${value}`);
    }
    return lines.join("\n");
  }
}

export class GatewayMetrics {
  readonly subgraphRequests = new Counter("asky_gateway_subgraph_requests_total", "HTTP calls made to each subgraph");
  readonly subgraphRequestsShared = new Counter(
    "asky_gateway_subgraph_requests_shared_total",
    "Subgraph reads answered by an identical call already in flight (not sent)",
  );
  readonly payloadExecutions = new Counter(
    "asky_gateway_subscription_payload_executions_total",
    "Subscription payloads resolved (once per event and group)",
  );
  readonly payloadSeconds = new Counter(
    "asky_gateway_subscription_payload_seconds_total",
    "Time spent resolving subscription payloads (divide by the executions count for the mean)",
  );
  readonly eventToFanoutSeconds = new Counter(
    "asky_gateway_subscription_event_to_fanout_seconds_total",
    "Per execution: time from the change's commit to the payload written to every subscriber's socket",
  );
  readonly activeSubscriptions = new Counter(
    "asky_gateway_active_subscriptions",
    "Subscriptions currently open",
    "gauge",
  );
  readonly activeSockets = new Counter(
    "asky_gateway_active_websockets",
    "WebSocket connections currently open",
    "gauge",
  );
  readonly replicas = new Counter(
    "asky_gateway_replicas",
    "Gateway replicas this one hears (itself included); rate limits are divided by it",
    "gauge",
  );
  readonly refusedOperations = new Counter(
    "asky_gateway_refused_requests_total",
    "Requests refused before execution, by reason (limits, rate limits, bad tokens)",
  );
  readonly revocationFeedCurrent = new Counter(
    "asky_gateway_revocation_feed_current",
    "1 while the access revocation feed is proven complete; 0 while each access token is checked with the users service instead",
    "gauge",
  );
  readonly eventFeedCurrent = new Counter(
    "asky_gateway_event_feed_current",
    "1 while the request event feed that serves subscriptions is proven to have read every stored event; 0 while subscribers may be getting events late (NATS down, stalled, or the feed behind)",
    "gauge",
  );
  readonly sessionChecks = new Counter(
    "asky_gateway_session_checks_total",
    "Access tokens checked with the users service because the revocation feed was stale, by outcome (active, revoked, unverifiable)",
  );

  private replicaCount: (() => number) | null = null;
  private revocationFeedIsCurrent: (() => boolean) | null = null;
  private eventFeedIsCurrent: (() => boolean) | null = null;

  /** Where the replicas gauge is read from at each scrape. */
  observeReplicas(count: () => number): void {
    this.replicaCount = count;
  }

  /** Where the revocation feed gauge is read from at each scrape. */
  observeRevocationFeed(current: () => boolean): void {
    this.revocationFeedIsCurrent = current;
  }

  /** Where the request event feed gauge is read from at each scrape. */
  observeEventFeed(current: () => boolean): void {
    this.eventFeedIsCurrent = current;
  }

  render(): string {
    if (this.replicaCount) this.replicas.set(this.replicaCount());
    if (this.revocationFeedIsCurrent) this.revocationFeedCurrent.set(this.revocationFeedIsCurrent() ? 1 : 0);
    if (this.eventFeedIsCurrent) this.eventFeedCurrent.set(this.eventFeedIsCurrent() ? 1 : 0);
    return (
      [
        this.subgraphRequests.render("subgraph"),
        this.subgraphRequestsShared.render("subgraph"),
        this.payloadExecutions.render(""),
        this.payloadSeconds.render(""),
        this.eventToFanoutSeconds.render(""),
        this.activeSubscriptions.render(""),
        this.activeSockets.render(""),
        this.refusedOperations.render("reason"),
        this.replicas.render(""),
        this.revocationFeedCurrent.render(""),
        this.eventFeedCurrent.render(""),
        this.sessionChecks.render("outcome"),
        // The standard process metric, so that memory can be watched next to the load.
        `# HELP process_resident_memory_bytes Resident memory size in bytes\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes ${process.memoryUsage.rss()}`,
      ].join("\n") + "\n"
    );
  }

  /**
   * Served only to callers presenting the configured token: the counters tell an outsider
   * how busy each subgraph is and how many screens are live, which is nobody else's business.
   */
  route(token: string): RouteHandler {
    const expected = Buffer.from(`Bearer ${token}`);
    return (req, res) => {
      const given = Buffer.from(req.headers.authorization ?? "");
      if (token === "" || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("Not found");
        return;
      }
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4", "cache-control": "no-store" });
      res.end(this.render());
    };
  }
}
