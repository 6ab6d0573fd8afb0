/**
 * Where an outbox hands its frames: a WebSocket (socket-outbox.ts) or an SSE response
 * (sse/sse-outbox.ts). The sink calls the outbox's `flush` when its transport emits "drain".
 */
export interface OutboxSink {
  /** False once the connection is closing or closed: its close ends its subscriptions. */
  isOpen(): boolean;
  /** Bytes handed over that the kernel has not taken yet (the transport's own queue). */
  queuedBytes(): number;
  /** Whether the transport will emit "drain" when the kernel has taken what it holds. */
  awaitsDrain(): boolean;
  write(frame: string): void;
}

/**
 * Bytes handed to the transport beyond what the kernel has taken. A fan-out to one client is
 * well under this, so a client that keeps up never waits here; kept small because a close
 * frame queues behind it.
 */
const WRITE_AHEAD_BYTES = 64 * 1024;

/**
 * Everything one connection's subscriptions send, in order, within a byte budget.
 *
 * Once the kernel stops taking a client's bytes, frames wait here rather than in the
 * transport's own write queue: the transport's queue cannot be emptied, this one can. When the
 * client is cut off, what it never read is dropped, so the close is the next thing it reads
 * after what the kernel already holds (otherwise it would sit behind megabytes of stale
 * payloads and die with the connection before the client got to it).
 */
export class BoundedOutbox {
  private waiting: string[] = [];
  private next = 0;
  private waitingBytes = 0;

  constructor(
    private readonly sink: OutboxSink,
    private readonly maxBufferedBytes: number,
  ) {}

  /** Queues one frame; false when the client is too far behind to take it. */
  send(frame: string): boolean {
    if (!this.sink.isOpen()) return true;
    if (this.next === this.waiting.length && !this.backedUp()) {
      this.sink.write(frame);
      return true;
    }
    const bytes = Buffer.byteLength(frame);
    if (this.waitingBytes + bytes + this.sink.queuedBytes() > this.maxBufferedBytes) return false;
    this.waiting.push(frame);
    this.waitingBytes += bytes;
    return true;
  }

  /** Bytes held for this client, here and in the transport's own queue. */
  get bufferedBytes(): number {
    return this.waitingBytes + this.sink.queuedBytes();
  }

  /** Drops every frame not yet handed to the transport; the client is being cut off. */
  discard(): void {
    this.waiting = [];
    this.next = 0;
    this.waitingBytes = 0;
  }

  /** The kernel took everything handed to it (the transport's "drain"): hand over the next part. */
  protected flush(): void {
    while (this.next < this.waiting.length && this.sink.isOpen() && !this.backedUp()) {
      const frame = this.waiting[this.next]!;
      this.next += 1;
      this.waitingBytes -= Buffer.byteLength(frame);
      this.sink.write(frame);
    }
    if (this.next === this.waiting.length) this.discard();
    else if (this.next > 1024 && this.next * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.next);
      this.next = 0;
    }
  }

  /**
   * The transport holds its write-ahead and will say when the kernel has taken it: frames wait
   * here until then. Both conditions, so that nothing waits without a "drain" to come.
   */
  private backedUp(): boolean {
    return this.sink.queuedBytes() >= WRITE_AHEAD_BYTES && this.sink.awaitsDrain();
  }
}
