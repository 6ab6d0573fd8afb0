import type { ServerResponse } from "node:http";
import { BoundedOutbox } from "../bounded-outbox.js";
import { coalesceWritesThisTurn } from "../write-coalescing.js";

/**
 * What one SSE stream sends, within the same byte budget as a WebSocket: events wait in the
 * outbox, where they can be counted and dropped, rather than in the response's own unbounded
 * write queue; past the budget the client is cut off (sse-stream.ts).
 */
export class SseOutbox extends BoundedOutbox {
  constructor(res: ServerResponse, maxBufferedBytes: number) {
    super(
      {
        isOpen: () => !res.writableEnded && !res.destroyed,
        queuedBytes: () => res.writableLength,
        awaitsDrain: () => res.writableNeedDrain,
        write: (frame) => {
          if (res.socket) coalesceWritesThisTurn(res.socket);
          res.write(frame);
        },
      },
      maxBufferedBytes,
    );
    res.on("drain", () => this.flush());
  }
}
