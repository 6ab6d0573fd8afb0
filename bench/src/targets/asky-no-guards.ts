/**
 * Asky's own gateway without its admission checks (operation limits, rate limits, token
 * pre-check), for scenario 6's A/B of what those checks cost. Never shipped: only the bench
 * can start a gateway this way.
 */
import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "@asky/gateway/config";

runService("gateway", async (logger) => {
  // Loaded once telemetry started, as gateway/src/index.ts explains.
  const { startGateway } = await import("@asky/gateway/server");
  return startGateway(loadConfig(gatewayEnv), logger, { admission: false });
});
