import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { allowsInternal, type WebhookAllowance } from "./allowance.js";
import { isInternalAddress } from "./internal-address.js";

/** A target the service must not reach, or cannot resolve. */
export class RefusedTarget extends Error {
  constructor(
    message: string,
    readonly reason: "INTERNAL_TARGET" | "UNRESOLVABLE_HOST",
  ) {
    super(message);
    this.name = "RefusedTarget";
  }
}

/** The URL's host as a lookup takes it: lowercase, IPv6 literals without brackets. */
export function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** Resolves a host to every address it names (one for an IP literal). */
export type Resolve = (host: string) => Promise<readonly LookupAddress[]>;

export const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * The addresses of `host` this service may connect to: all of them, or a refusal when any is
 * internal and not allowed (a name with one public and one private address is refused: which
 * one a connection would take is not ours to choose).
 */
export async function permittedAddresses(
  host: string,
  allowance: WebhookAllowance,
  resolve: Resolve = systemResolve,
): Promise<readonly LookupAddress[]> {
  let addresses: readonly LookupAddress[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new RefusedTarget(`${host} does not resolve`, "UNRESOLVABLE_HOST");
    }
  }
  if (addresses.length === 0) throw new RefusedTarget(`${host} does not resolve`, "UNRESOLVABLE_HOST");
  for (const { address } of addresses) {
    if (isInternalAddress(address) && !allowsInternal(allowance, host, address)) {
      throw new RefusedTarget(`${host} resolves to an internal address`, "INTERNAL_TARGET");
    }
  }
  return addresses;
}

/**
 * A `lookup` for http.request that checks the addresses the connection will actually use,
 * so a name that resolved to a public address when the webhook was registered and resolves
 * to an internal one now (DNS rebinding) is refused at the socket, not before it.
 */
export function guardedLookup(allowance: WebhookAllowance, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    permittedAddresses(hostname.toLowerCase(), allowance, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((entry) => wanted === 0 || entry.family === wanted);
        if (usable.length === 0) {
          callback(new RefusedTarget(`${hostname} has no address of family ${wanted}`, "UNRESOLVABLE_HOST"), "", 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: readonly LookupAddress[]) => void)(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };
}
