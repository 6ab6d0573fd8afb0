/**
 * Asky's own gateway with in-flight sharing of identical subgraph reads turned off, for the
 * like-for-like comparisons in scenarios 1 and 2. Same environment as the stack's gateway.
 */
import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "@asky/gateway/config";

runService("gateway", async (logger) => {
  // Loaded once telemetry started, as gateway/src/index.ts explains.
  const { startGateway } = await import("@asky/gateway/server");
  return startGateway(loadConfig(gatewayEnv), logger, { shareSubgraphReads: false });
});
