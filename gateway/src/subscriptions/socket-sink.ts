import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { nextFrame, type SerializedPayload } from "./next-frame.js";
import type { PayloadSink } from "./subscriber.js";
import { coalesceWritesThisTurn } from "./write-coalescing.js";

/**
 * Writes subscription `id`'s payloads to its WebSocket. Backpressure is measured where it
 * builds up: the bytes the socket has not yet handed to the kernel, shared by every
 * subscription on it. A client that stops reading is cut off at `maxBufferedBytes` rather
 * than growing the gateway's memory.
 */
export function socketSink(socket: WebSocket, transport: Socket, id: string, maxBufferedBytes: number): PayloadSink {
  const frame = nextFrame(id);
  return {
    send(payload: SerializedPayload): boolean {
      // A closing socket ends its subscriptions through its close event.
      if (socket.readyState !== socket.OPEN) return true;
      if (socket.bufferedAmount > maxBufferedBytes) return false;
      coalesceWritesThisTurn(transport);
      socket.send(frame(payload));
      return true;
    },
  };
}
