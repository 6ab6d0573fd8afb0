export { startTelemetry, startedTelemetry, type Telemetry, type TelemetryOptions } from "./start-telemetry.js";
export { readTelemetrySettings, TelemetryConfigError, type TelemetrySettings } from "./otel-env.js";
export { askyMeter, askyTracer, lagBuckets, secondsBuckets } from "./tracer.js";
export {
  currentTraceHeaders,
  contextFromHeaders,
  linkFromHeaders,
  traceLogFields,
  type TraceHeaders,
} from "./trace-context.js";
export { metricsRoute } from "./metrics-route.js";
export { serveTraced, currentGraphQLFacts, type GraphQLRequestFacts } from "./http-request-telemetry.js";
export { graphqlTelemetryPlugin } from "./graphql-plugin.js";
export { traceSqlStatements, summarizeSql, type SqlSpanOptions } from "./sql-spans.js";
export { observePool, type CountingPool } from "./pool-metrics.js";
export { BoundedLabel } from "./bounded-label.js";
export { tracingEnabled } from "./tracing-state.js";
