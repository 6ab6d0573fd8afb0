export { startStack, defaultPorts, type Stack, type StackOptions, type StackPorts, type PortName } from "./stack.js";
export {
  serviceEnv,
  serviceEntry,
  serviceDir,
  serviceNodeFlags,
  subgraphIds,
  subgraphUrl,
  type ServiceEnvContext,
  type ServiceId,
} from "./services.js";
export { StackError, PortInUseError } from "./errors.js";
export { consoleSink, fileSink, teeSink, silentSink, formatLine, type LogSink } from "./log.js";
export { findFreePort, isPortFree, assertPortsFree } from "./ports.js";
export { spawnManaged, runningProcessCount, type ManagedProcess, type ExitInfo } from "./processes.js";
export { defaultRestartPolicy, Supervisor, type RestartPolicy, type Starter } from "./supervisor.js";
export { waitForHttp, waitForTcp, canConnect } from "./wait.js";
export { startEmbeddedPostgres, type RunningPostgres } from "./postgres.js";
export { startNats, ensureNatsServer, findNatsServer, type RunningNats } from "./nats.js";
export {
  startNatsCluster,
  type NatsClusterNode,
  type NatsClusterOptions,
  type RunningNatsCluster,
} from "./nats-cluster.js";
export { prepareDatabase, type DatabaseOps } from "./database.js";
export { repoRoot, defaultDataDir } from "./paths.js";
export { liftedRateLimits } from "./lifted-rate-limits.js";
