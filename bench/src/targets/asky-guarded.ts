/** Asky's gateway exactly as shipped, started by the bench beside asky-no-guards.ts (scenario 6). */
import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "@asky/gateway/config";

runService("gateway", async (logger) => {
  // Loaded once telemetry started, as gateway/src/index.ts explains.
  const { startGateway } = await import("@asky/gateway/server");
  return startGateway(loadConfig(gatewayEnv), logger);
});
