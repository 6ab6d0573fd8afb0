/**
 * What an OTLP receiver keeps of an export, the same whichever encoding it came in: the span's
 * identity and place in its trace, the service that sent it (the resource's service.name), its
 * attributes flattened to scalars, and its links. Enough to assert how a request travelled
 * across processes; timings are left out on purpose (tests wait for effects, never for clocks).
 */
export type SpanKindName = "UNSPECIFIED" | "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";

/** Scalars as sent; an array or map value is kept as its JSON text, bytes as base64. */
export type AttributeValue = string | number | boolean;

export type Attributes = Readonly<Record<string, AttributeValue>>;

/** An AnyValue as decoded, before an array or map is flattened to its JSON text. */
export type DecodedValue = AttributeValue | unknown[] | Record<string, unknown>;

export interface SpanLink {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
}

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** null for a root span. */
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: SpanKindName;
  /** The resource's service.name, e.g. `asky-gateway`. */
  readonly service: string;
  readonly attributes: Attributes;
  readonly links: readonly SpanLink[];
}

export interface ReceivedMetric {
  readonly service: string;
  readonly name: string;
}

/** OTLP's Span.SpanKind numbers, in order. */
const kindNames: readonly SpanKindName[] = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

/** A kind as its number (protobuf, and the JSON exporters) or its enum name (`SPAN_KIND_SERVER`). */
export function kindName(kind: number | string | undefined): SpanKindName {
  if (typeof kind === "number") return kindNames[kind] ?? "UNSPECIFIED";
  const name = kind?.replace(/^SPAN_KIND_/, "");
  return kindNames.find((known) => known === name) ?? "UNSPECIFIED";
}

/** Attributes from decoded key/value pairs: scalars as sent, an array or map as its JSON text. */
export function attributesFrom(pairs: Iterable<readonly [string, DecodedValue]>): Attributes {
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of pairs) attributes[key] = typeof value === "object" ? JSON.stringify(value) : value;
  return attributes;
}

/** An integer as a number when it is one exactly, else its decimal text. */
export function exactInteger(int: bigint): number | string {
  return int >= BigInt(Number.MIN_SAFE_INTEGER) && int <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(int)
    : int.toString();
}

/** service.name of a resource, as OTel SDKs fall back when none is set. */
export function serviceOf(resource: Attributes): string {
  const name = resource["service.name"];
  return typeof name === "string" ? name : "unknown_service";
}

/** One line per span, for a failed wait to show what did arrive. */
export function describeSpan(span: ReceivedSpan): string {
  const links = span.links.map((link) => ` link=${link.traceId}/${link.spanId}`).join("");
  return `${span.service} ${span.kind} "${span.name}" ${span.traceId}/${span.spanId} parent=${span.parentSpanId ?? "-"}${links}`;
}
