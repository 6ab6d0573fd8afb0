import { BlockList, isIP } from "node:net";

/**
 * Addresses a webhook must not reach: this host, the private and carrier-grade NAT ranges,
 * link-local (which holds the cloud metadata address 169.254.169.254), unique-local,
 * multicast, reserved and unspecified addresses. IPv4-mapped IPv6 addresses are checked as
 * the IPv4 address they carry.
 */
const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  // NAT64 and 6to4 wrap IPv4 addresses that could be internal ones.
  ["64:ff9b::", 96],
  ["2002::", 16],
] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}

const mappedV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** True for an address inside one of the ranges above; anything that is not an IP is internal too. */
export function isInternalAddress(address: string): boolean {
  const mapped = mappedV4.exec(address);
  if (mapped) return isInternalAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 4) return internal.check(address, "ipv4");
  if (family === 6) {
    // ::ffff:7f00:1 is the hex spelling of a mapped IPv4 address.
    if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(address)) return true;
    return internal.check(address, "ipv6");
  }
  return true;
}
