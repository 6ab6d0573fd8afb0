/**
 * Asky's own gateway with in-flight sharing of identical subgraph reads turned off, for the
 * like-for-like comparisons in scenarios 1 and 2. Same environment as the stack's gateway.
 */
import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "@asky/gateway/config";
import { startGateway } from "@asky/gateway/server";

runService("gateway", (logger) => startGateway(loadConfig(gatewayEnv), logger, { shareSubgraphReads: false }));
