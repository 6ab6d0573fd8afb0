/**
 * OTLP/HTTP protobuf bodies (ExportTraceServiceRequest, ExportMetricsServiceRequest) read into
 * the receiver's records. Field numbers are opentelemetry-proto's (trace/v1/trace.proto,
 * common/v1/common.proto, resource/v1/resource.proto, metrics/v1/metrics.proto), as the
 * JavaScript SDK's serializer writes them; only the fields a test asserts on are read.
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
  type SpanLink,
} from "./otlp-records.js";
import { bytesOf, doubleOf, hexOf, lastBytes, readFields, stringOf, varintOf, type WireField } from "./otlp-wire.js";

/** AnyValue: string_value=1, bool_value=2, int_value=3, double_value=4, array_value=5, kvlist_value=6, bytes_value=7. */
function anyValue(fields: readonly WireField[]): DecodedValue {
  const last = fields.at(-1);
  if (!last) return "";
  switch (last.number) {
    case 1:
      return stringOf(fields, 1);
    case 2:
      return varintOf(fields, 2) === 1n;
    case 3: // int64: two's complement in a varint
      return exactInteger(BigInt.asIntN(64, varintOf(fields, 3) ?? 0n));
    case 4:
      return doubleOf(fields, 4) ?? 0;
    case 5: // ArrayValue: values=1
      return bytesOf(readFields(lastBytes(fields, 5) ?? new Uint8Array()), 1).map((value) =>
        anyValue(readFields(value)),
      );
    case 6: // KeyValueList: values=1
      return Object.fromEntries(keyValues(readFields(lastBytes(fields, 6) ?? new Uint8Array()), 1));
    case 7:
      return Buffer.from(lastBytes(fields, 7) ?? new Uint8Array()).toString("base64");
    default:
      return "";
  }
}

/** Repeated KeyValue (key=1, value=2) under field `number`. */
function keyValues(fields: readonly WireField[], number: number): [string, DecodedValue][] {
  return bytesOf(fields, number).map((pair) => {
    const kv = readFields(pair);
    return [stringOf(kv, 1), anyValue(readFields(lastBytes(kv, 2) ?? new Uint8Array()))];
  });
}

function attributesOf(fields: readonly WireField[], number: number): Attributes {
  return attributesFrom(keyValues(fields, number));
}

/** Resource: attributes=1. */
function resourceService(container: readonly WireField[]): string {
  const resource = lastBytes(container, 1);
  return serviceOf(resource ? attributesOf(readFields(resource), 1) : {});
}

/** Span.Link: trace_id=1, span_id=2. */
function linkOf(bytes: Uint8Array): SpanLink {
  const fields = readFields(bytes);
  return { traceId: hexOf(fields, 1), spanId: hexOf(fields, 2) };
}

/** Span: trace_id=1, span_id=2, parent_span_id=4, name=5, kind=6, attributes=9, links=13. */
function spanOf(bytes: Uint8Array, service: string): ReceivedSpan {
  const fields = readFields(bytes);
  const parent = hexOf(fields, 4);
  return {
    traceId: hexOf(fields, 1),
    spanId: hexOf(fields, 2),
    parentSpanId: parent === "" ? null : parent,
    name: stringOf(fields, 5),
    kind: kindName(Number(varintOf(fields, 6) ?? 0n)),
    service,
    attributes: attributesOf(fields, 9),
    links: bytesOf(fields, 13).map(linkOf),
  };
}

/** ExportTraceServiceRequest: resource_spans=1 { resource=1, scope_spans=2 { scope=1, spans=2 } }. */
export function spansFromProtobuf(body: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of bytesOf(readFields(body), 1)) {
    const fields = readFields(resourceSpans);
    const service = resourceService(fields);
    for (const scopeSpans of bytesOf(fields, 2)) {
      for (const span of bytesOf(readFields(scopeSpans), 2)) spans.push(spanOf(span, service));
    }
  }
  return spans;
}

/** ExportMetricsServiceRequest: resource_metrics=1 { resource=1, scope_metrics=2 { metrics=2 { name=1 } } }. */
export function metricsFromProtobuf(body: Uint8Array): ReceivedMetric[] {
  const metrics: ReceivedMetric[] = [];
  for (const resourceMetrics of bytesOf(readFields(body), 1)) {
    const fields = readFields(resourceMetrics);
    const service = resourceService(fields);
    for (const scopeMetrics of bytesOf(fields, 2)) {
      for (const metric of bytesOf(readFields(scopeMetrics), 2)) {
        metrics.push({ service, name: stringOf(readFields(metric), 1) });
      }
    }
  }
  return metrics;
}
