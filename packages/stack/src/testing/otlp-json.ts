/**
 * OTLP/HTTP JSON bodies read into the receiver's records. OTLP's JSON mapping differs from
 * proto3's in that trace and span ids are hex, not base64, and enums are numbers; int64
 * values may come as numbers or decimal strings. Ids in base64 (what older exporters sent)
 * are accepted too, so a misconfigured exporter still shows up as spans rather than noise.
 */
import {
  type Attributes,
  attributesFrom,
  type DecodedValue,
  exactInteger,
  kindName,
  type ReceivedMetric,
  type ReceivedSpan,
  serviceOf,
} from "./otlp-records.js";

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
}

interface JsonKeyValue {
  key?: string;
  value?: JsonAnyValue;
}

interface JsonResource {
  attributes?: JsonKeyValue[];
}

interface JsonSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number | string;
  attributes?: JsonKeyValue[];
  links?: { traceId?: string; spanId?: string }[];
}

interface JsonTraceRequest {
  resourceSpans?: { resource?: JsonResource; scopeSpans?: { spans?: JsonSpan[] }[] }[];
}

interface JsonMetricsRequest {
  resourceMetrics?: { resource?: JsonResource; scopeMetrics?: { metrics?: { name?: string }[] }[] }[];
}

/** An id of `bytes` bytes as lowercase hex, from hex or base64. */
function idOf(value: string | undefined, bytes: number): string {
  if (!value) return "";
  if (value.length === bytes * 2 && /^[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  const decoded = Buffer.from(value, "base64");
  return decoded.length === bytes ? decoded.toString("hex") : value.toLowerCase();
}

function anyValue(value: JsonAnyValue | undefined): DecodedValue {
  if (!value) return "";
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return exactInteger(BigInt(value.intValue));
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue) {
    return Object.fromEntries((value.kvlistValue.values ?? []).map((pair) => [pair.key ?? "", anyValue(pair.value)]));
  }
  if (value.bytesValue !== undefined) return value.bytesValue;
  return "";
}

function attributesOf(pairs: JsonKeyValue[] | undefined): Attributes {
  return attributesFrom((pairs ?? []).map((pair) => [pair.key ?? "", anyValue(pair.value)]));
}

function parse<T>(body: Uint8Array): T {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SyntaxError("an OTLP JSON export is an object");
  }
  return parsed as T;
}

export function spansFromJson(body: Uint8Array): ReceivedSpan[] {
  const request = parse<JsonTraceRequest>(body);
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = serviceOf(attributesOf(resourceSpans.resource?.attributes));
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span): ReceivedSpan => {
        const parent = idOf(span.parentSpanId, 8);
        return {
          traceId: idOf(span.traceId, 16),
          spanId: idOf(span.spanId, 8),
          parentSpanId: parent === "" ? null : parent,
          name: span.name ?? "",
          kind: kindName(span.kind),
          service,
          attributes: attributesOf(span.attributes),
          links: (span.links ?? []).map((link) => ({ traceId: idOf(link.traceId, 16), spanId: idOf(link.spanId, 8) })),
        };
      }),
    );
  });
}

export function metricsFromJson(body: Uint8Array): ReceivedMetric[] {
  const request = parse<JsonMetricsRequest>(body);
  return (request.resourceMetrics ?? []).flatMap((resourceMetrics) => {
    const service = serviceOf(attributesOf(resourceMetrics.resource?.attributes));
    return (resourceMetrics.scopeMetrics ?? []).flatMap((scopeMetrics) =>
      (scopeMetrics.metrics ?? []).map((metric) => ({ service, name: metric.name ?? "" })),
    );
  });
}
