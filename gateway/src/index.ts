import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "./config.js";
import { startGateway } from "./server.js";

runService("gateway", (logger) => startGateway(loadConfig(gatewayEnv), logger));
