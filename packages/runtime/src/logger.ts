import { pino, type Logger } from "pino";
import { traceLogFields } from "@asky/telemetry";
import { redactingErrorSerializer } from "./log-redaction.js";

export type { Logger };

/**
 * One JSON logger per process. The orchestrator prefixes each line with the service
 * name, so the `service` field matters mostly for log shippers in production.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A line written while a span is active names its trace, so it leads to the trace and back.
    mixin: traceLogFields,
    serializers: { err: redactingErrorSerializer, error: redactingErrorSerializer },
    redact: {
      // Tokens and passwords must never reach a log file a support engineer can read.
      paths: ["*.password", "*.authorization", "*.accessToken", "*.refreshToken", "*.headers.authorization"],
      censor: "[redacted]",
    },
  });
}
