// Assembling, starting and stopping a subgraph.
export {
  defineSubgraph,
  type SubgraphTables,
  type EnvSpec,
  type ContextFactory,
  type BackgroundWork,
  type OnStop,
  type SubgraphDefinition,
} from "./define-subgraph.js";
export {
  eventConsumer,
  type ConsumableEvent,
  type ConsumedEvent,
  type ConsumerDefinition,
  type ConsumerStart,
  type EventConsumer,
} from "./event-consumer.js";
export { startSubgraph, runSubgraph, type RunningSubgraph } from "./start-order.js";
export { stopStages, StopOrder, type StopStage, type Closer } from "./stop-order.js";
export { ACCESS_REVOKED, internalAuthenticator } from "./subgraph-authenticator.js";
export { subgraphEnv, type SubgraphServiceConfig } from "./subgraph-config.js";
export {
  openSubgraphRuntime,
  type SubgraphRuntime,
  type ServiceRuntime,
  type SessionVoucher,
  type OpenRuntimeOptions,
  type OpenedRuntime,
} from "./subgraph-runtime.js";
export { subgraphLimits, healthRoute, startSubgraphServer, type SubgraphServerOptions } from "./subgraph-server.js";
export { startHourlyPurge, type HourlyPurge } from "./hourly-purge.js";
