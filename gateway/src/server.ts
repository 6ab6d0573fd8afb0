import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { closeAll, createErrorFormatter, startHttpHost, type Closeable, type Logger } from "@asky/common";
import { subgraphUrlsOf, type GatewayConfig } from "./config.js";
import { gatewayContext, type GatewayContext } from "./context.js";
import { SubgraphDataSource } from "./data-source.js";
import { gatewayHealth } from "./health.js";
import { supergraphFile } from "./supergraph-file.js";

export async function startGateway(config: GatewayConfig, logger: Logger): Promise<Closeable & { url: string }> {
  const urls = subgraphUrlsOf(config);
  let loaded = false;
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFile(config.supergraphPath, logger),
    buildService: ({ name, url }) => new SubgraphDataSource({ url: urls[name] ?? url }),
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
    plugins: [ApolloServerPluginLandingPageDisabled()],
    logger,
  });

  const http = await startHttpHost({
    apollo,
    context: gatewayContext,
    logger,
    port: config.port,
    host: config.host,
    routes: { "/health": gatewayHealth(() => loaded, urls, logger) },
  });
  return { url: http.url, close: () => closeAll(http) };
}
