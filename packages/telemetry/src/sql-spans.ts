import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { askyTracer } from "./tracer.js";
import { tracingEnabled } from "./tracing-state.js";

/** The part of a node-postgres pool this needs: clients announced as they connect. */
export interface ConnectingPool {
  on(event: "connect", listener: (client: { query: unknown }) => void): unknown;
}

export interface SqlSpanOptions {
  /** The database name (db.namespace). */
  readonly database: string;
  readonly host?: string;
  readonly port?: number;
}

type Query = (...args: unknown[]) => unknown;

const operations = new Set([
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "WITH",
  "BEGIN",
  "COMMIT",
  "ROLLBACK",
  "SET",
  "LISTEN",
  "UNLISTEN",
  "NOTIFY",
  "LOCK",
  "TRUNCATE",
  "CREATE",
  "ALTER",
  "DROP",
]);
const identifier = String.raw`("?[\w$]+"?(?:\."?[\w$]+"?)?)`;
/** Where each read or write names its first table. */
const targets: Readonly<Record<string, RegExp>> = {
  SELECT: new RegExp(String.raw`\bfrom\s+${identifier}`, "i"),
  DELETE: new RegExp(String.raw`\bfrom\s+${identifier}`, "i"),
  INSERT: new RegExp(String.raw`\binto\s+${identifier}`, "i"),
  UPDATE: new RegExp(String.raw`^\s*update\s+(?:only\s+)?${identifier}`, "i"),
};
/** A data-modifying statement inside a WITH, e.g. the outbox append's `with appended as (insert into ...)`. */
const modifying = new RegExp(String.raw`\b(insert\s+into|update|delete\s+from)\s+(?:only\s+)?${identifier}`, "i");

/**
 * The statement's operation and first table, for the span's name and db.query.summary. The
 * text itself is never recorded: most statements are parameterized, but not every one, and a
 * literal in one would put patient-adjacent data in a trace backend.
 */
export function summarizeSql(text: string): { operation: string; collection?: string } {
  const head = text.slice(0, 2_000);
  const operation = /^\s*([a-z]+)/i.exec(head)?.[1]?.toUpperCase();
  if (!operation || !operations.has(operation)) return { operation: "SQL" };
  if (operation === "WITH") {
    // Named after what it changes, or else after what it reads: a trace backend shows "INSERT
    // asky_requests.outbox" where "WITH" would tell nobody anything.
    const change = modifying.exec(head);
    if (change)
      return { operation: change[1]!.split(/\s+/)[0]!.toUpperCase(), collection: change[2]!.replaceAll('"', "") };
    const read = targets.SELECT!.exec(head)?.[1]?.replaceAll('"', "");
    return read ? { operation: "SELECT", collection: read } : { operation };
  }
  const collection = targets[operation]?.exec(head)?.[1]?.replaceAll('"', "");
  return collection ? { operation, collection } : { operation };
}

function textOf(first: unknown): string {
  if (typeof first === "string") return first;
  const text = (first as { text?: unknown } | null | undefined)?.text;
  return typeof text === "string" ? text : "";
}

/**
 * A CLIENT span per SQL statement, child of whatever is active (a resolver's HTTP request, a
 * consumer's handling), following OTel's database conventions. Wraps each client as the pool
 * connects it, like a driver instrumentation would; with tracing off nothing is wrapped.
 */
export function traceSqlStatements(pool: ConnectingPool, options: SqlSpanOptions): void {
  if (!tracingEnabled()) return;
  pool.on("connect", (client) => {
    const original = (client.query as Query).bind(client);
    const traced: Query = (...args) => {
      // Only statements made on behalf of something traced: a background loop's polling (an
      // outbox purge, a watermark every 500 ms) would otherwise start a new trace per statement.
      if (!trace.getSpan(context.active())?.isRecording()) return original(...args);
      const { operation, collection } = summarizeSql(textOf(args[0]));
      const summary = collection ? `${operation} ${collection}` : operation;
      const span = askyTracer().startSpan(summary, {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": "postgresql",
          "db.namespace": options.database,
          "db.operation.name": operation,
          "db.query.summary": summary,
          ...(collection ? { "db.collection.name": collection } : {}),
          ...(options.host ? { "server.address": options.host } : {}),
          ...(options.port ? { "server.port": options.port } : {}),
        },
      });
      const result = context.with(trace.setSpan(context.active(), span), () => original(...args));
      if (result && typeof (result as PromiseLike<unknown>).then === "function") {
        (result as PromiseLike<unknown>).then(
          () => span.end(),
          (error: unknown) => {
            const code = (error as { code?: unknown } | null)?.code;
            span.setAttribute("error.type", typeof code === "string" ? code : "error");
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          },
        );
      } else {
        span.end();
      }
      return result;
    };
    client.query = traced;
  });
}
