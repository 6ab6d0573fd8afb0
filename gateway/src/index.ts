import { loadConfig, runService } from "@asky/common";
import { gatewayEnv } from "./config.js";
import { startGateway } from "./server.js";

runService("gateway", (logger) => startGateway(loadConfig(gatewayEnv), logger));
