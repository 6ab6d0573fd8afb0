import { createServer } from "node:net";
import { serviceRegistry } from "@asky/contracts";
import { PortInUseError, StackError } from "./errors.js";
import type { ServiceId } from "./services.js";

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
export async function assertPortsFree(wanted: readonly { name: string; port: number; host?: string }[]): Promise<void> {
  const checks = await Promise.all(
    wanted.map(async ({ name, port, host = "127.0.0.1" }) => ({
      name,
      port,
      host,
      free: await isPortFree(port, host),
    })),
  );
  const busy = checks.filter((check) => !check.free);
  if (busy.length > 0) throw new PortInUseError(busy);
}

export type PortName = ServiceId | "postgres" | "nats";
export type StackPorts = Record<PortName, number>;

export const defaultPorts: Readonly<StackPorts> = {
  gateway: serviceRegistry.gateway.defaultPort,
  users: serviceRegistry.users.defaultPort,
  dispensers: serviceRegistry.dispensers.defaultPort,
  requests: serviceRegistry.requests.defaultPort,
  reports: serviceRegistry.reports.defaultPort,
  postgres: 5433,
  nats: 4222,
};

/** Resolves the ports a stack will use: fixed ones checked free, "free" ones picked. */
export async function resolvePorts(
  /** Default: the fixed ports above. `"free"` (all, or per port) picks unused ports (tests). */
  spec: "free" | Partial<Record<PortName, number | "free">> | undefined,
  host: string,
  needed: readonly PortName[],
): Promise<StackPorts> {
  const ports: StackPorts = { ...defaultPorts };
  const taken = new Set<number>();
  const explicit: { name: string; port: number; host: string }[] = [];
  for (const name of needed) {
    const wanted = spec === "free" ? "free" : (spec?.[name] ?? defaultPorts[name]);
    if (wanted === "free") {
      ports[name] = await findFreePort(name === "postgres" || name === "nats" ? "127.0.0.1" : host, taken);
    } else {
      ports[name] = wanted;
      explicit.push({ name, port: wanted, host: name === "postgres" || name === "nats" ? "127.0.0.1" : host });
    }
    taken.add(ports[name]);
  }
  const clash = explicit.find((entry, i) => explicit.findIndex((other) => other.port === entry.port) !== i);
  if (clash) throw new StackError(`Port ${clash.port} is configured for two services (${clash.name} and another).`);
  await assertPortsFree(explicit);
  return ports;
}

/** Base URL of a service listening on host:port, as a local client reaches it. */
export function httpBase(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${h.includes(":") ? `[${h}]` : h}:${port}`;
}
