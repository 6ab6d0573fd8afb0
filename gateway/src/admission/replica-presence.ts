import { randomUUID } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "@asky/runtime";

/**
 * How many gateway replicas are serving, learnt from heartbeats on core NATS (outside
 * `asky.>`, which the JetStream stream would otherwise record). Rate limits divide each
 * allowance by this count, so that a client spread over N replicas gets one allowance in
 * all, not N of them. While NATS is unreachable the last count is kept rather than decaying
 * to 1, which would multiply allowances exactly when an operator is busy with an outage.
 */
export const GATEWAY_PRESENCE_SUBJECT = "cluster.asky.gateway.presence";

const heartbeatMs = 2_000;
/** A replica missing three heartbeats is gone. */
const goneAfterMs = 3 * heartbeatMs + 500;

export class ReplicaPresence {
  readonly id = randomUUID();
  private readonly peers = new Map<string, number>();
  private connected = true;
  private lastCount = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private subscription: { unsubscribe(): void } | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(GATEWAY_PRESENCE_SUBJECT, {
      callback: (error, message) => {
        if (error) return this.logger.warn({ err: error }, "gateway presence subscription error");
        const id = message.string();
        if (id !== this.id && id.length <= 64) this.peers.set(id, this.now());
      },
    });
    const beat = () => {
      try {
        this.nc.publish(GATEWAY_PRESENCE_SUBJECT, this.id);
      } catch (error) {
        this.logger.debug({ err: error }, "gateway presence heartbeat not sent");
      }
    };
    beat();
    this.timer = setInterval(beat, heartbeatMs);
    this.timer.unref();
    void this.watchConnection();
  }

  private async watchConnection(): Promise<void> {
    try {
      for await (const status of this.nc.status()) {
        if (this.stopped) return;
        if (status.type === "disconnect") {
          this.lastCount = this.count();
          this.connected = false;
        } else if (status.type === "reconnect") {
          // Peers had no way to reach us either: give each a fresh window to be heard again.
          const now = this.now();
          for (const peer of this.peers.keys()) this.peers.set(peer, now);
          this.connected = true;
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, "gateway presence stopped watching the NATS connection");
    }
  }

  /** Replicas serving now, this one included. */
  count(): number {
    if (!this.connected) return this.lastCount;
    const cutoff = this.now() - goneAfterMs;
    for (const [peer, seen] of this.peers) if (seen < cutoff) this.peers.delete(peer);
    return 1 + this.peers.size;
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }
}
