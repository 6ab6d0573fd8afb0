import { nextFrame, type SerializedPayload } from "./next-frame.js";
import type { SocketOutbox } from "./socket-outbox.js";
import type { PayloadSink } from "./subscriber.js";

/**
 * Writes subscription `id`'s payloads to its WebSocket through the socket's outbox, whose
 * byte budget is shared by every subscription on the socket: backpressure is measured where
 * it builds up, and a client that stops reading is cut off rather than growing the
 * gateway's memory.
 */
export function socketSink(outbox: SocketOutbox, id: string): PayloadSink {
  const frame = nextFrame(id);
  return {
    send(payload: SerializedPayload): boolean {
      return outbox.send(frame(payload));
    },
  };
}
