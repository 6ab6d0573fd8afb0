import { createServer } from "node:net";
import { PortInUseError } from "./errors.js";

/** True when nothing listens on `host:port` (checked by binding it for a moment). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * A port the OS reports free right now. There is a short window in which another process
 * could take it; callers start their servers immediately after.
 */
export function findFreePort(host = "127.0.0.1", avoid: ReadonlySet<number> = new Set()): Promise<number> {
  const attempt = (triesLeft: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.once("error", reject);
      server.listen({ port: 0, host, exclusive: true }, () => {
        const address = server.address();
        const port = typeof address === "object" && address ? address.port : 0;
        server.close(() => resolve(port));
      });
    }).then((port) => (avoid.has(port) && triesLeft > 0 ? attempt(triesLeft - 1) : port));
  return attempt(20);
}

/** Throws a PortInUseError naming every busy port, so the user fixes them all at once. */
export async function assertPortsFree(
  wanted: readonly { name: string; port: number; host?: string }[],
): Promise<void> {
  const checks = await Promise.all(
    wanted.map(async ({ name, port, host = "127.0.0.1" }) => ({ name, port, host, free: await isPortFree(port, host) })),
  );
  const busy = checks.filter((check) => !check.free);
  if (busy.length > 0) throw new PortInUseError(busy);
}
