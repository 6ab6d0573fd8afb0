import type { RouteHandler } from "@asky/common";

/**
 * A few counters in Prometheus' text format. They answer the operational questions a
 * hospital IT team asks of a gateway (how many live screens, how much load on each
 * subgraph) and let tests and benchmarks count subgraph calls from outside.
 */
class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string, readonly type: "counter" | "gauge" = "counter") {}

  inc(label = "", by = 1): void {
    this.values.set(label, (this.values.get(label) ?? 0) + by);
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
  readonly subgraphRequestsShared = new Counter("asky_gateway_subgraph_requests_shared_total", "Subgraph reads answered by an identical call already in flight (not sent)");
  readonly payloadExecutions = new Counter("asky_gateway_subscription_payload_executions_total", "Subscription payloads resolved (once per event and group)");
  readonly payloadSeconds = new Counter("asky_gateway_subscription_payload_seconds_total", "Time spent resolving subscription payloads (divide by the executions count for the mean)");
  readonly eventToFanoutSeconds = new Counter("asky_gateway_subscription_event_to_fanout_seconds_total", "Per execution: time from the change's commit to the payload written to every subscriber's socket");
  readonly activeSubscriptions = new Counter("asky_gateway_active_subscriptions", "Subscriptions currently open", "gauge");
  readonly activeSockets = new Counter("asky_gateway_active_websockets", "WebSocket connections currently open", "gauge");

  render(): string {
    return [
      this.subgraphRequests.render("subgraph"),
      this.subgraphRequestsShared.render("subgraph"),
      this.payloadExecutions.render(""),
      this.payloadSeconds.render(""),
      this.eventToFanoutSeconds.render(""),
      this.activeSubscriptions.render(""),
      this.activeSockets.render(""),
    ].join("\n") + "\n";
  }

  route(): RouteHandler {
    return (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4", "cache-control": "no-store" });
      res.end(this.render());
    };
  }
}
