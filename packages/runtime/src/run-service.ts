import { startTelemetry, type Telemetry } from "@asky/telemetry";
import { createLogger, type Logger } from "./logger.js";

export interface Closeable {
  close(): Promise<void>;
}

/**
 * Runs a service entry point: logs a failed start and exits non-zero, and on SIGTERM or
 * SIGINT closes what the service opened (HTTP first, then connections) before exiting,
 * so that the orchestrator never has to kill a process that holds a transaction.
 */
export function runService(name: string, start: (logger: Logger) => Promise<Closeable>): void {
  const logger = createLogger(name);
  // First, so that every tracer and meter the service takes while starting is the real one.
  let telemetry: Telemetry;
  try {
    telemetry = startTelemetry({
      service: name,
      report: (level, message) => logger[level]({ component: "telemetry" }, message),
    });
  } catch (error) {
    logger.fatal({ err: error }, "failed to start");
    process.exit(1);
  }
  process.on("unhandledRejection", (reason) => {
    logger.fatal({ err: reason }, "unhandled promise rejection");
    process.exit(1);
  });
  let service: Closeable | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Still starting (waiting for NATS, say): nothing is served yet, so nothing to drain.
    // Handled here rather than left to the default action, which PID 1 in a container lacks:
    // there the signal would be ignored until the runtime's kill timeout.
    if (!service) {
      logger.info({ signal }, "stopped while starting");
      process.exit(0);
    }
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, 10_000).unref();
    // The spans of the last requests are exported before the process ends.
    closeAll(service, () => telemetry.shutdown()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  start(logger).then(
    (started) => {
      service = started;
    },
    (error: unknown) => {
      logger.fatal({ err: error }, "failed to start");
      process.exit(1);
    },
  );
}

/** Closes in order, attempting every step even if an earlier one fails. */
export async function closeAll(...closeables: ReadonlyArray<Closeable | (() => Promise<void>)>): Promise<void> {
  const failures: unknown[] = [];
  for (const item of closeables) {
    try {
      await (typeof item === "function" ? item() : item.close());
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, "some resources failed to close");
}
