import type { ServerResponse } from "node:http";
import { coalesceWritesThisTurn } from "../write-coalescing.js";

/** Bytes handed to the response beyond what the kernel has taken; as for WebSockets (socket-outbox.ts). */
const WRITE_AHEAD_BYTES = 64 * 1024;

/**
 * Everything one SSE stream sends, in order, within a byte budget: the event-stream
 * counterpart of SocketOutbox. Once the kernel stops taking the client's bytes, events wait
 * here, where they can be counted and dropped, rather than in the response's own unbounded
 * write queue; past the budget the client is cut off (sse-stream.ts) instead of growing the
 * gateway's memory.
 */
export class SseOutbox {
  private waiting: string[] = [];
  private next = 0;
  private waitingBytes = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {
    res.on("drain", () => this.flush());
  }

  /** Queues one event; false when the client is too far behind to take it. */
  send(frame: string): boolean {
    // A stream that has ended ends its subscription through its close event.
    if (!this.writable()) return true;
    if (this.next === this.waiting.length && !this.backedUp()) {
      this.write(frame);
      return true;
    }
    const bytes = Buffer.byteLength(frame);
    if (this.waitingBytes + bytes + this.res.writableLength > this.maxBufferedBytes) return false;
    this.waiting.push(frame);
    this.waitingBytes += bytes;
    return true;
  }

  /** Bytes held for this client, here and in the response's own queue. */
  get bufferedBytes(): number {
    return this.waitingBytes + this.res.writableLength;
  }

  /** Drops every event not yet handed to the response; the client is being cut off. */
  discard(): void {
    this.waiting = [];
    this.next = 0;
    this.waitingBytes = 0;
  }

  private writable(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Both conditions, so that nothing waits without a "drain" to come. */
  private backedUp(): boolean {
    return this.res.writableLength >= WRITE_AHEAD_BYTES && this.res.writableNeedDrain;
  }

  private write(frame: string): void {
    if (this.res.socket) coalesceWritesThisTurn(this.res.socket);
    this.res.write(frame);
  }

  /** The kernel took everything handed to it: hand over the next part. */
  private flush(): void {
    while (this.next < this.waiting.length && this.writable() && !this.backedUp()) {
      const frame = this.waiting[this.next]!;
      this.next += 1;
      this.waitingBytes -= Buffer.byteLength(frame);
      this.write(frame);
    }
    if (this.next === this.waiting.length) this.discard();
    else if (this.next > 1024 && this.next * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.next);
      this.next = 0;
    }
  }
}
