import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import {
  closeAll,
  createAccessTokenVerifier,
  createErrorFormatter,
  loadSigningKeys,
  startHttpHost,
  type Closeable,
  type Logger,
} from "@asky/common";
import { requireSignInPlugin } from "./anonymous-operations.js";
import { jwksRoute } from "./jwks-route.js";
import { subgraphUrlsOf, usersJwksUrlOf, type GatewayConfig } from "./config.js";
import { createGatewayContext, type GatewayContext } from "./context.js";
import { SubgraphDataSource } from "./data-source.js";
import { gatewayHealth } from "./health.js";
import { supergraphFile } from "./supergraph-file.js";

export async function startGateway(config: GatewayConfig, logger: Logger): Promise<Closeable & { url: string }> {
  const urls = subgraphUrlsOf(config);
  const production = config.nodeEnv === "production";
  const [signingKey] = await loadSigningKeys({
    owner: "gateway",
    jwks: config.signingJwks || undefined,
    keysDir: config.keysDir,
    production,
  });
  const jwksUrl = usersJwksUrlOf(config);
  let loaded = false;
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFile(config.supergraphPath, logger),
    buildService: ({ name, url }) => new SubgraphDataSource({ name, url: urls[name] ?? url ?? "", key: signingKey }),
    logger,
  });
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Apollo's default landing page pulls its UI from a CDN, which closed hospital
    // networks cannot reach.
    plugins: [ApolloServerPluginLandingPageDisabled(), requireSignInPlugin],
    logger,
  });

  const http = await startHttpHost({
    apollo,
    context: createGatewayContext(createAccessTokenVerifier(jwksUrl), logger),
    logger,
    port: config.port,
    host: config.host,
    routes: {
      "/health": gatewayHealth(() => loaded, urls, logger),
      "/.well-known/jwks.json": jwksRoute(jwksUrl, logger),
    },
  });
  return { url: http.url, close: () => closeAll(http) };
}
