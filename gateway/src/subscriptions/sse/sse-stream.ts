import type { ServerResponse } from "node:http";
import type { GraphQLError } from "graphql";
import { serializePayload, type SerializedPayload } from "../next-frame.js";
import type { OpenTransport } from "../connection-state.js";
import type { PayloadSink, Subscriber } from "../subscriber.js";
import { comment, completeEvent, nextEvent } from "./event-stream-frames.js";
import { SseOutbox } from "./sse-outbox.js";

/** As ws numbers them, so that admission reads a stream like a socket (OpenTransport). */
const OPEN = 1;
const CLOSED = 3;

/**
 * One SSE response carrying one subscription, from its headers until it ends: the
 * event-stream counterpart of a WebSocket. How it ends tells the client what to do:
 * - `complete` after a last `next`: the server ended the operation (an error saying why, e.g.
 *   UNAUTHENTICATED when the token expires, RESYNC_REQUIRED); graphql-sse's client does not
 *   reconnect by itself;
 * - the response ending without `complete` (gateway shutting down) or the connection cut (a
 *   client too slow to read): a network error, after which clients reconnect with `after`.
 */
export class SseStream implements OpenTransport {
  readonly OPEN = OPEN;
  readonly outbox: SseOutbox;
  private subscriber: Subscriber | null = null;
  private closed = false;
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    maxBufferedBytes: number,
  ) {
    this.outbox = new SseOutbox(res, maxBufferedBytes);
    res.once("close", () => {
      this.closed = true;
    });
  }

  get readyState(): number {
    return this.closed || this.res.writableEnded || this.res.destroyed ? CLOSED : OPEN;
  }

  /**
   * The event-stream headers, and a comment so that they leave now rather than with the first
   * event. Sent once the subscription is live or refused, so that a client that sees the
   * response knows its subscription is in place (no event published from then on is missed).
   */
  start(): void {
    if (this.started || this.readyState !== OPEN) return;
    this.started = true;
    this.res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform and X-Accel-Buffering: proxies must pass events on as they come, not
      // compress or buffer the stream.
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.res.write(comment());
  }

  /** Where the subscription's payloads go, as `next` events within the stream's byte budget. */
  sink(): PayloadSink {
    return {
      send: (payload: SerializedPayload) => {
        this.start();
        return this.outbox.send(nextEvent(payload));
      },
    };
  }

  attach(subscriber: Subscriber): void {
    this.subscriber = subscriber;
  }

  /** Ends the operation with these errors, whether or not it got as far as subscribing. */
  endWith(errors: readonly GraphQLError[]): void {
    const payload = serializePayload({ errors });
    if (this.subscriber && !this.subscriber.ended) {
      // Through the subscriber, so that it writes nothing more; it completes the stream as it ends.
      this.subscriber.endWith(payload);
      return;
    }
    if (this.readyState !== OPEN) return;
    this.start();
    this.outbox.send(nextEvent(payload));
    this.complete();
  }

  /** The operation is over: `complete`, then the end of the response. */
  complete(): void {
    if (this.readyState !== OPEN) return;
    this.start();
    this.res.write(completeEvent);
    this.res.end();
  }

  /** A keep-alive comment, unless events are waiting anyway (their arrival is the keep-alive). */
  ping(): void {
    if (this.started && this.readyState === OPEN && this.outbox.bufferedBytes === 0) this.res.write(comment());
  }

  /**
   * The client stopped reading: what it never read is dropped and the connection closed now.
   * Unlike a WebSocket's close frame, nothing could reach it after megabytes it will not read.
   */
  cutOff(): void {
    this.outbox.discard();
    this.res.destroy();
    void this.subscriber?.return();
  }

  /** The gateway is shutting down: the response ends without `complete`, so clients reconnect. */
  goAway(): void {
    if (this.readyState === OPEN) {
      this.start();
      this.outbox.discard();
      this.res.end(comment("gateway shutting down; reconnect with after"));
    }
    void this.subscriber?.return();
  }
}
