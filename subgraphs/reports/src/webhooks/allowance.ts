import { BlockList, isIP } from "node:net";
import type { EnvVar } from "@asky/runtime";

/**
 * Internal targets an operator allows (`WEBHOOK_ALLOWED_HOSTS`): host names or IP literals
 * matched against the URL's host, and CIDRs matched against the addresses it resolves to.
 * Only a host named here may be sent plain http (a receiver on the hospital network).
 */
export interface WebhookAllowance {
  readonly hosts: ReadonlySet<string>;
  readonly networks: BlockList;
  /** As configured, for logs. */
  readonly raw: string;
}

const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function parseAllowance(name: string, raw: string): WebhookAllowance {
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const entry of raw.split(",").map((part) => part.trim().toLowerCase())) {
    if (entry === "") continue;
    const slash = entry.indexOf("/");
    if (slash >= 0) {
      const address = entry.slice(0, slash);
      const prefix = Number(entry.slice(slash + 1));
      const family = isIP(address);
      const max = family === 4 ? 32 : 128;
      if (family === 0 || !/^\d+$/.test(entry.slice(slash + 1)) || prefix > max) {
        throw new Error(`${name}: "${entry}" is not a CIDR`);
      }
      networks.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
      continue;
    }
    const host = entry.startsWith("[") && entry.endsWith("]") ? entry.slice(1, -1) : entry;
    if (isIP(host) === 0 && !hostName.test(host)) throw new Error(`${name}: "${entry}" is not a host name, IP or CIDR`);
    hosts.add(host);
  }
  return { hosts, networks, raw };
}

export const noAllowance: WebhookAllowance = parseAllowance("none", "");

/** Whether `address`, reached through the URL host `host`, may be internal. */
export function allowsInternal(allowance: WebhookAllowance, host: string, address: string): boolean {
  if (allowance.hosts.has(host)) return true;
  const family = isIP(address);
  return family !== 0 && allowance.networks.check(address, family === 4 ? "ipv4" : "ipv6");
}

export function allowanceEnv(name: string): EnvVar<WebhookAllowance> {
  return {
    name,
    description:
      "Comma-separated hosts, IPs or CIDRs webhooks may reach although internal (loopback, private, link-local...); only a listed host may be sent plain http",
    required: false,
    parse: (raw) => parseAllowance(name, raw ?? ""),
  };
}
