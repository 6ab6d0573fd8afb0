import { loadConfig, runService } from "@asky/runtime";
import { gatewayEnv } from "./config.js";

// The server (and with it @apollo/gateway) is loaded only once runService has started
// OpenTelemetry. @apollo/gateway takes its tracer when its module loads, through its own copy
// of @opentelemetry/api (1.9, which its older SDK packages pin) rather than the one
// @asky/telemetry registers with (1.10): a tracer taken before that registration stays a
// no-op for good, and the gateway.request, .plan, .execute and .fetch spans would be lost.
runService("gateway", async (logger) => {
  const { startGateway } = await import("./server.js");
  return startGateway(loadConfig(gatewayEnv), logger);
});
