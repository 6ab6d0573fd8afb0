import type { Socket } from "node:net";

const corked = new Set<Socket>();
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/**
 * Holds back what is written to `socket` until the current turn of the event loop ends, so
 * that the frames of one fan-out leave in one write. An event reaching 50 subscriptions on a
 * socket otherwise costs 50 `writev` calls, and at ten thousand subscribers those system
 * calls were a third of the gateway's CPU. graphql-ws sends from promise callbacks that all
 * run before `setImmediate`, so nothing waits longer than the fan-out itself.
 */
export function coalesceWritesThisTurn(socket: Socket): void {
  if (corked.has(socket) || socket.destroyed) return;
  socket.cork();
  corked.add(socket);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}
