/**
 * A signed-in client of the real gateway: what a web or mobile client does, over HTTP.
 *
 *   const nurse = asGateway("nurse@asky.dev");
 *   const { me } = await nurse.ok<{ me: { id: string } }>("{ me { id } }");
 */
import { inject } from "vitest";
import { demoToken, type DemoAccount } from "./demo-accounts.js";
import { graphQLClient, type GraphQLClient } from "./graphql.js";

/** Who calls: a demo account (signed in once per file), an access token of one's own, or nobody. */
export type GatewayCaller = DemoAccount | { accessToken: string } | null;

/** A client of the stack's gateway (or the gateway at `url`, a replica) as `caller`. */
export function asGateway(caller: GatewayCaller, options: { url?: string } = {}): GraphQLClient {
  const token = async (): Promise<string | null> => {
    if (caller === null) return null;
    return typeof caller === "string" ? demoToken(caller) : caller.accessToken;
  };
  return graphQLClient(options.url ?? inject("gatewayUrl"), token);
}
