import type { WebSocket, WebSocketServer } from "ws";

/**
 * Pings every open socket each `intervalMs` and drops one that has not answered the
 * previous ping, so that a vanished client (a phone out of coverage sends no FIN) does not
 * hold its subscriptions for the minutes TCP takes to notice.
 *
 * graphql-ws has the same keep-alive built in, but its timer also drops sockets the gateway
 * is already closing: that discards a 1008 close frame still waiting for a slow client to
 * read it. A closing socket is left to ws's close timeout instead. One timer for all
 * sockets rather than two per socket.
 */
export function startKeepAlive(wss: WebSocketServer, intervalMs: number): () => void {
  const unanswered = new WeakSet<WebSocket>();
  const watch = (socket: WebSocket) => socket.on("pong", () => unanswered.delete(socket));
  wss.on("connection", watch);
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wss.off("connection", watch);
  };
}
