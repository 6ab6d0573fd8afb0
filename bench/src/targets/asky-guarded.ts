/** Asky's gateway exactly as shipped, started by the bench beside asky-no-guards.ts (scenario 6). */
import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "@asky/gateway/config";
import { startGateway } from "@asky/gateway/server";

runService("gateway", (logger) => startGateway(loadConfig(gatewayEnv), logger));
