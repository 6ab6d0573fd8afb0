/**
 * Asky's own gateway without its admission checks (operation limits, rate limits, token
 * pre-check), for scenario 6's A/B of what those checks cost. Never shipped: only the bench
 * can start a gateway this way.
 */
import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "@asky/gateway/config";
import { startGateway } from "@asky/gateway/server";

runService("gateway", (logger) => startGateway(loadConfig(gatewayEnv), logger, { admission: false }));
