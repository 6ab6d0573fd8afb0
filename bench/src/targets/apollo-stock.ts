/**
 * Peer for scenario 2: a stock `@apollo/gateway` behind Apollo Server's standalone server,
 * default settings, over the same supergraph and subgraphs. The only addition is what any
 * deployment over Asky's subgraphs needs: a per-subgraph internal token on each call.
 */
import { readFileSync } from "node:fs";
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { requireEnv, subgraphAccess } from "../internal-tokens.js";
import { startCallCounter } from "./call-counter.js";

const { urls, tokens } = await subgraphAccess();

const counter = startCallCounter();

class AuthenticatedDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraph: string,
    url: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
    counter.count();
    request.http?.headers.set("authorization", tokens.header(this.subgraph));
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(requireEnv("SUPERGRAPH_PATH"), "utf8"),
  buildService: ({ name, url }) => new AuthenticatedDataSource(name, urls[name] ?? url ?? ""),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(requireEnv("PORT")), host: "127.0.0.1" },
});
process.stdout.write(`ready ${url}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.on(signal, () => void server.stop().finally(() => process.exit(0)));
