import { pino } from "pino";

/**
 * Errors from the database carry what the statement was sent: drizzle puts the parameters
 * in its message ("Failed query: … params: …") and in `params`, and Postgres echoes values
 * in its messages and `detail` (`invalid input syntax for type uuid: "…"`, `Key (…)=(…)
 * already exists`). Those are nurses' notes, reasons and names, which have no business in a
 * log file a support engineer can read. The statement text stays (it is ours, and it is
 * what the engineer needs), and so do Postgres' codes and the names of what failed.
 */
const paramsInText = /\nparams: [\s\S]*?(?=\n {4}at |$)/;
const quotedValue = /"[^"\n]*"/g;
const postgresFields = ["code", "severity", "constraint", "table", "column", "schema", "routine"] as const;

function isPostgresError(error: object): error is Error & Partial<Record<(typeof postgresFields)[number], string>> {
  return "severity" in error && "code" in error && typeof (error as { code: unknown }).code === "string";
}

function redactMessage(error: Error): string {
  const message = error.message.replace(paramsInText, "\nparams: [redacted]");
  return isPostgresError(error) ? message.replace(quotedValue, '"[redacted]"') : message;
}

/** What is safe to say of a cause: its type, and for Postgres its code and the names involved. */
function describeCause(cause: unknown, depth: number): Record<string, unknown> | undefined {
  if (!(cause instanceof Error) || depth > 4) return undefined;
  const described: Record<string, unknown> = { type: cause.constructor.name, message: redactMessage(cause) };
  if (isPostgresError(cause))
    for (const field of postgresFields) if (cause[field] !== undefined) described[field] = cause[field];
  const deeper = describeCause(cause.cause, depth + 1);
  if (deeper) described.cause = deeper;
  return described;
}

type SerializedError = Omit<ReturnType<typeof pino.stdSerializers.err>, "cause"> & Record<string, unknown>;

/** pino's error serializer, with statement parameters and echoed values taken out. */
export function redactingErrorSerializer(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = pino.stdSerializers.err(error) as SerializedError;
  const message = redactMessage(error);
  // pino folds causes into the stack ("caused by: …" with their messages); keep only our frames.
  const frames = (error.stack ?? "").split("\n").filter((line) => line.startsWith("    at "));
  const redacted: SerializedError = {
    ...serialized,
    message,
    stack: [`${error.name}: ${message}`, ...frames].join("\n"),
  };
  if ("params" in redacted) redacted.params = "[redacted]";
  if ("detail" in redacted) redacted.detail = "[redacted]";
  if ("where" in redacted) redacted.where = "[redacted]";
  const cause = describeCause(error.cause, 0);
  if (cause) redacted.cause = cause;
  return redacted;
}
