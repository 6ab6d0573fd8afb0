import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { BoundedOutbox } from "./bounded-outbox.js";
import { coalesceWritesThisTurn } from "./write-coalescing.js";

/** What the subscriptions of one WebSocket send, within the connection's byte budget. */
export class SocketOutbox extends BoundedOutbox {
  constructor(socket: WebSocket, transport: Socket, maxBufferedBytes: number) {
    super(
      {
        isOpen: () => socket.readyState === socket.OPEN,
        queuedBytes: () => socket.bufferedAmount,
        awaitsDrain: () => transport.writableNeedDrain,
        write: (frame) => {
          coalesceWritesThisTurn(transport);
          socket.send(frame);
        },
      },
      maxBufferedBytes,
    );
    transport.on("drain", () => this.flush());
  }
}
