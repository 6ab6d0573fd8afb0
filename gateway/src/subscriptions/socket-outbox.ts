import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { coalesceWritesThisTurn } from "./write-coalescing.js";

/**
 * Bytes handed to the socket beyond what the kernel has taken. A fan-out to one socket is
 * well under this, so a client that keeps up never waits here; kept small because a close
 * frame queues behind it.
 */
const WRITE_AHEAD_BYTES = 64 * 1024;

/**
 * Everything the subscriptions of one WebSocket send, in order, within a byte budget.
 *
 * Once the kernel stops taking a client's bytes, frames wait here rather than in the
 * socket's own write queue: the socket's queue cannot be emptied, this one can. When the
 * client is cut off, what it never read is dropped and the close frame is the next thing
 * it reads after what the kernel already holds (otherwise it would sit behind megabytes of
 * stale payloads and die with the connection before the client got to it).
 */
export class SocketOutbox {
  private waiting: string[] = [];
  private next = 0;
  private waitingBytes = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly transport: Socket,
    private readonly maxBufferedBytes: number,
  ) {
    transport.on("drain", () => this.flush());
  }

  /** Queues one text frame; false when the client is too far behind to take it. */
  send(frame: string): boolean {
    // A closing socket ends its subscriptions through its close event.
    if (this.socket.readyState !== this.socket.OPEN) return true;
    if (this.next === this.waiting.length && !this.backedUp()) {
      this.write(frame);
      return true;
    }
    const bytes = Buffer.byteLength(frame);
    if (this.waitingBytes + bytes + this.socket.bufferedAmount > this.maxBufferedBytes) return false;
    this.waiting.push(frame);
    this.waitingBytes += bytes;
    return true;
  }

  /** Bytes held for this client, here and in the socket's own queue. */
  get bufferedBytes(): number {
    return this.waitingBytes + this.socket.bufferedAmount;
  }

  /** Drops every frame not yet handed to the socket; the client is being cut off. */
  discard(): void {
    this.waiting = [];
    this.next = 0;
    this.waitingBytes = 0;
  }

  /**
   * The socket holds its write-ahead and will say when the kernel has taken it: frames wait
   * here until then. Both conditions, so that nothing waits without a "drain" to come.
   */
  private backedUp(): boolean {
    return this.socket.bufferedAmount >= WRITE_AHEAD_BYTES && this.transport.writableNeedDrain;
  }

  private write(frame: string): void {
    coalesceWritesThisTurn(this.transport);
    this.socket.send(frame);
  }

  /** The kernel took everything handed to it: hand over the next part. */
  private flush(): void {
    while (this.next < this.waiting.length && this.socket.readyState === this.socket.OPEN && !this.backedUp()) {
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
