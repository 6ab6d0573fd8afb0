import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";

/**
 * The address rate limits are counted by. Behind `trustedProxyHops` reverse proxies (an
 * ingress, a load balancer) the socket's peer is the proxy, so the client is the entry that
 * many hops from the right of X-Forwarded-For: entries further left are whatever the client
 * wrote. IPv6 clients are counted by their /64, which one household or device controls whole.
 */
export function clientAddress(req: IncomingMessage, trustedProxyHops: number): string {
  let address = req.socket.remoteAddress ?? "unknown";
  if (trustedProxyHops > 0) {
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const forwarded = hops[hops.length - trustedProxyHops];
    if (forwarded) address = forwarded;
  }
  if (address.startsWith("::ffff:")) return address.slice(7);
  return isIPv6(address) ? ipv6Prefix64(address) : address;
}

function ipv6Prefix64(address: string): string {
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group || "0")
    .join(":")}::/64`;
}
