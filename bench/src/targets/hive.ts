/**
 * Peer for scenario 2: Hive Gateway (`@graphql-hive/gateway`, its runtime in one process, as
 * Asky runs one) over the same supergraph file and subgraphs, default settings. Subgraph URLs
 * point at the bench stack; each subgraph call carries its internal token through Hive's
 * own header propagation hook.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { requireEnv, subgraphAccess } from "../internal-tokens.js";
import { loadBenchTool } from "../tools.js";
import { startCallCounter } from "./call-counter.js";

/**
 * The part of Hive Gateway's API this peer uses, declared here because the project's type
 * check runs without bench/tools installed (bench/src/tools.ts).
 */
interface HiveGateway {
  createGatewayRuntime(config: {
    supergraph: string;
    logging: "warn";
    transportEntries: Record<string, { location: string; options?: { deduplicateInflightRequests: boolean } }>;
    plugins: () => { onFetch: () => void }[];
    propagateHeaders: {
      fromClientToSubgraphs: (context: { subgraphName: string }) => Record<string, string>;
    };
  }): ((req: IncomingMessage, res: ServerResponse) => Promise<unknown>) & { dispose(): unknown };
}
const { createGatewayRuntime } = loadBenchTool<HiveGateway>("@graphql-hive/gateway");

const { urls, tokens } = await subgraphAccess();

const counter = startCallCounter();
const gateway = createGatewayRuntime({
  supergraph: requireEnv("SUPERGRAPH_PATH"),
  logging: "warn",
  // BENCH_DEDUPE=off turns off Hive's default in-flight de-duplication of identical subgraph calls.
  transportEntries: Object.fromEntries(
    Object.entries(urls).map(([name, location]) => [
      name,
      { location, ...(process.env.BENCH_DEDUPE === "off" ? { options: { deduplicateInflightRequests: false } } : {}) },
    ]),
  ),
  plugins: () => [{ onFetch: () => counter.count() }],
  propagateHeaders: {
    fromClientToSubgraphs: ({ subgraphName }) => ({ authorization: tokens.header(subgraphName) }),
  },
});
// The Hive gateway is a fetch-style handler; Node calls it as a request listener.
const server = createServer((req, res) => void gateway(req, res));
await new Promise<void>((resolve) => server.listen(Number(requireEnv("PORT")), "127.0.0.1", resolve));
process.stdout.write(`ready http://127.0.0.1:${requireEnv("PORT")}/graphql\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
}
