import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A stable address in front of a gateway that gets restarted, as a load balancer is: a
 * browser keeps one origin while the process behind it goes away and comes back on another
 * port. While no gateway is behind it, connections are refused (closed at once); `retarget`
 * drops every open connection, as the old process's end would.
 */
export interface FrontDoor {
  /** The origin (http://127.0.0.1:port) to open pages at. */
  readonly origin: string;
  /** Points at another gateway's GraphQL URL, or at nothing (null). */
  retarget(targetUrl: string | null): void;
  close(): Promise<void>;
}

export async function startFrontDoor(targetUrl: string | null): Promise<FrontDoor> {
  let target = targetUrl ? new URL(targetUrl) : null;
  const open = new Set<Socket>();
  const track = (socket: Socket): void => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    track(upstream);
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("front door has no TCP address");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    retarget(next) {
      target = next ? new URL(next) : null;
      for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
