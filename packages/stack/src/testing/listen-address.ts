/**
 * Where a service started by a test helper listens, from the PORT and HOST its caller put in
 * its env: the helper must wait for health there, not at an address of its own choosing.
 */
export interface ListenAddress {
  /** The address to reach it at: HOST, or loopback when none is given or HOST is a wildcard. */
  readonly host: string;
  /** PORT when one is given; otherwise the helper picks a free one. */
  readonly port: number | undefined;
}

const wildcards = new Set(["", "0.0.0.0", "::", "[::]"]);

export function listenAddress(env: Readonly<Record<string, string | undefined>>): ListenAddress {
  const given = env["HOST"]?.trim() ?? "";
  const host = wildcards.has(given) ? "127.0.0.1" : given;
  const text = env["PORT"];
  if (text === undefined) return { host, port: undefined };
  const port = Number(text);
  // 0 would let the OS choose a port nobody could then find: a test helper needs to know it.
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT must be a port number from 1 to 65535, not ${JSON.stringify(text)}`);
  }
  return { host, port };
}

/** `http://host:port`, an IPv6 address in brackets. */
export function httpBase(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
