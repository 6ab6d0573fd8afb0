import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * What a subgraph looks like from the gateway's side of the wire:
 * - forward: the real subgraph behind it;
 * - refuse: nothing listens on the port (the process died and is not back yet);
 * - stall: connections are accepted and never answered (a SIGSTOPped process: the kernel
 *   still completes handshakes into the listen backlog), kept-alive ones included;
 * - unavailable: HTTP 503, what a load balancer answers with no ready replica behind it.
 */
export type FaultMode = "forward" | "refuse" | "stall" | "unavailable";

export interface FaultProxy {
  /** The GraphQL URL to give the gateway instead of the subgraph's. */
  readonly url: string;
  /** Switches mode; connections opened before are dropped, as a crash or restart would. */
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

const unavailable =
  "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/** A TCP proxy in front of `targetUrl` (a subgraph's GraphQL URL) whose failure mode a test sets. */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let mode: FaultMode = "forward";
  const open = new Set<Socket>();

  const track = (socket: Socket): void => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };

  const server: Server = createServer((client) => {
    track(client);
    switch (mode) {
      case "forward": {
        const upstream = connect({ host: target.hostname, port: Number(target.port) });
        track(upstream);
        upstream.on("close", () => client.destroy());
        client.on("close", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        return;
      }
      case "stall":
        // Read nothing, answer nothing: what the kernel does for a stopped process.
        client.pause();
        return;
      case "unavailable":
        client.once("data", () => client.end(unavailable));
        return;
      case "refuse":
        // The listener is closed in this mode; a connection accepted just before is dropped.
        client.destroy();
        return;
    }
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    async setMode(next) {
      if (next === mode) return;
      const previous = mode;
      mode = next;
      for (const socket of open) socket.destroy();
      if (next === "refuse") await new Promise<void>((resolve) => server.close(() => resolve()));
      else if (previous === "refuse") await listen(port);
    },
    async close() {
      for (const socket of open) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
