/**
 * A real OTLP/HTTP receiver, as a collector is to the services: POST /v1/traces and
 * /v1/metrics, protobuf or JSON, gzipped or not, answered 200 with an empty export response.
 * Every span that arrives is kept as a ReceivedSpan (whatever its encoding), so an acceptance
 * test can start a stack with OTEL_EXPORTER_OTLP_ENDPOINT pointing here and wait for the
 * spans a request should have caused:
 *
 *   const receiver = await startOtlpReceiver();
 *   startStack({ env: { gateway: receiver.exporterEnv(), ... } });
 *   await receiver.waitForSpan((span) => span.traceId === id && span.service === "asky-gateway");
 *
 * A body it cannot read is answered 400 and kept in `failures`, so a test can tell an
 * exporter that sent garbage from one that sent nothing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { eventually } from "./eventually.js";
import { metricsFromJson, spansFromJson } from "./otlp-json.js";
import { metricsFromProtobuf, spansFromProtobuf } from "./otlp-protobuf.js";
import { describeSpan, type ReceivedMetric, type ReceivedSpan } from "./otlp-records.js";

export type { ReceivedMetric, ReceivedSpan, SpanKindName, SpanLink, AttributeValue } from "./otlp-records.js";
export { describeSpan } from "./otlp-records.js";

export type OtlpEncoding = "protobuf" | "json";

export interface OtlpExport {
  readonly signal: "traces" | "metrics";
  readonly encoding: OtlpEncoding;
  readonly gzip: boolean;
  /** Spans or metrics in the export. */
  readonly items: number;
}

export interface SpanWaitOptions {
  /** Named in the timeout error. */
  readonly what?: string;
  /** Default 20 s: exporters batch, and a consumer may handle its event seconds later. */
  readonly timeoutMs?: number;
  /** On a timeout, the spans of this trace are listed (by default, the last ones received). */
  readonly traceId?: string;
}

export interface OtlpReceiver {
  /** The base URL, what OTEL_EXPORTER_OTLP_ENDPOINT takes (exporters add /v1/traces). */
  readonly url: string;
  /** Everything received so far, in arrival order (live: grows as exports arrive). */
  readonly spans: readonly ReceivedSpan[];
  readonly metrics: readonly ReceivedMetric[];
  readonly exports: readonly OtlpExport[];
  /** Exports that could not be read, with why. */
  readonly failures: readonly string[];
  /**
   * The OTEL_* variables that point a service here, with a short batch delay so that spans
   * arrive while a test waits for them. Without `protocol` none is set: the SDK's default
   * (http/protobuf) applies, as in a deployment that only names its collector.
   */
  exporterEnv(options?: {
    protocol?: "http/protobuf" | "http/json";
    metricIntervalMs?: number;
  }): Record<string, string>;
  /** The spans of one trace received so far. */
  trace(traceId: string): ReceivedSpan[];
  /** Waits until at least `count` (default 1) received spans match, and returns all that do. */
  waitForSpans(
    match: (span: ReceivedSpan) => boolean,
    options?: SpanWaitOptions & { count?: number },
  ): Promise<ReceivedSpan[]>;
  waitForSpan(match: (span: ReceivedSpan) => boolean, options?: SpanWaitOptions): Promise<ReceivedSpan>;
  waitForMetric(service: string, name: string, options?: { timeoutMs?: number }): Promise<ReceivedMetric>;
  close(): Promise<void>;
}

/** Far above any batch the SDK sends (512 spans by default), far below what could hurt a test run. */
const maxBodyBytes = 64 * 1024 * 1024;

function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  return null;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) req.destroy(new Error(`export larger than ${maxBodyBytes} bytes`));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetric[] = [];
  const exports: OtlpExport[] = [];
  const failures: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?", 1)[0];
    const signal = path === "/v1/traces" ? "traces" : path === "/v1/metrics" ? "metrics" : null;
    if (req.method !== "POST" || signal === null) return answer(res, 404, "text/plain", "not an OTLP path");
    const encoding = encodingOf(req.headers["content-type"]);
    const compression = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding === null || (compression !== "gzip" && compression !== "identity")) {
      failures.push(`${path}: unsupported content-type ${req.headers["content-type"]} / encoding ${compression}`);
      return answer(res, 415, "text/plain", "send application/x-protobuf or application/json, gzipped or not");
    }
    try {
      const raw = await readBody(req);
      const body = compression === "gzip" ? gunzipSync(raw) : raw;
      let items: number;
      if (signal === "traces") {
        const received = encoding === "json" ? spansFromJson(body) : spansFromProtobuf(body);
        spans.push(...received);
        items = received.length;
      } else {
        const received = encoding === "json" ? metricsFromJson(body) : metricsFromProtobuf(body);
        metrics.push(...received);
        items = received.length;
      }
      exports.push({ signal, encoding, gzip: compression === "gzip", items });
    } catch (error) {
      failures.push(`${path} (${encoding}): ${(error as Error).message}`);
      return answer(res, 400, "text/plain", "unreadable export");
    }
    // An empty Export*ServiceResponse: full success, in the encoding of the request.
    if (encoding === "json") answer(res, 200, "application/json", "{}");
    else answer(res, 200, "application/x-protobuf", "");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      failures.push(`${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) answer(res, 500, "text/plain", "receiver error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const timedOut = (error: unknown, options: SpanWaitOptions): Error => {
    const shown = options.traceId ? spans.filter((span) => span.traceId === options.traceId) : spans.slice(-60);
    const heading = options.traceId
      ? `spans of trace ${options.traceId} received (${shown.length})`
      : `last ${shown.length} of ${spans.length} spans received`;
    const problems = failures.length > 0 ? `\nunreadable exports:\n  ${failures.join("\n  ")}` : "";
    return new Error(`${(error as Error).message}; ${heading}:\n  ${shown.map(describeSpan).join("\n  ")}${problems}`);
  };

  const waitForSpans: OtlpReceiver["waitForSpans"] = async (match, options = {}) => {
    const count = options.count ?? 1;
    try {
      return await eventually(
        async () => {
          const found = spans.filter(match);
          return found.length >= count ? found : null;
        },
        options.timeoutMs ?? 20_000,
        options.what ?? "spans",
      );
    } catch (error) {
      throw timedOut(error, options);
    }
  };

  return {
    url,
    spans,
    metrics,
    exports,
    failures,
    exporterEnv: (options = {}) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: url,
      ...(options.protocol ? { OTEL_EXPORTER_OTLP_PROTOCOL: options.protocol } : {}),
      OTEL_BSP_SCHEDULE_DELAY: "200",
      ...(options.metricIntervalMs ? { OTEL_METRIC_EXPORT_INTERVAL: String(options.metricIntervalMs) } : {}),
    }),
    trace: (traceId) => spans.filter((span) => span.traceId === traceId),
    waitForSpans,
    waitForSpan: async (match, options) => (await waitForSpans(match, options))[0]!,
    waitForMetric: (service, name, options = {}) =>
      eventually(
        async () => metrics.find((metric) => metric.service === service && metric.name === name),
        options.timeoutMs ?? 20_000,
        `metric ${name} from ${service} over OTLP`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
