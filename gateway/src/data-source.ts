import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { signInternalToken, type SigningKey } from "@asky/common";
import type { GatewayContext } from "./context.js";
import { InternalTokenCache } from "./internal-token-cache.js";
import type { GatewayMetrics } from "./metrics.js";

/**
 * Calls one subgraph on behalf of the client: the client's access token never leaves
 * the gateway; the subgraph receives a short-lived token for its own audience instead,
 * plus the correlation id so a failure can be followed from gateway log to subgraph log.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly tokens: InternalTokenCache;
  private readonly name: string;
  private readonly metrics: GatewayMetrics;

  constructor(options: { name: string; url: string; key: SigningKey; metrics: GatewayMetrics }) {
    super({ url: options.url });
    this.name = options.name;
    this.metrics = options.metrics;
    this.tokens = new InternalTokenCache((subject) =>
      signInternalToken(options.key, { issuer: "gateway", audience: options.name, ...subject }),
    );
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    this.metrics.subgraphRequests.inc(this.name);
    // Health checks and schema loading run without an operation context.
    const gatewayContext = "requestId" in context ? (context as GatewayContext) : null;
    if (gatewayContext) headers.set("x-request-id", gatewayContext.requestId);
    const token = await this.tokens.get({
      viewer: gatewayContext?.viewer ?? null,
      clientIp: gatewayContext?.clientIp ?? null,
      sessionId: gatewayContext?.sessionId ?? null,
    });
    headers.set("authorization", `Bearer ${token}`);
  }
}
