/**
 * Just enough of the protobuf wire format to read what an OTLP exporter sends: a message is a
 * run of (field number, wire type, value) records, and nested messages, strings and bytes are
 * all length-delimited. A schema-free reader keeps the receiver free of generated code; the
 * decoders in otlp-trace-request.ts say which field numbers mean what.
 */

export type WireField =
  | { readonly number: number; readonly wire: "varint"; readonly value: bigint }
  | { readonly number: number; readonly wire: "fixed64" | "fixed32" | "bytes"; readonly bytes: Uint8Array };

export class WireFormatError extends Error {
  override name = "WireFormatError";
}

function readVarint(bytes: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let pos = start; pos < bytes.length && shift < 70n; pos++) {
    const byte = bytes[pos]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: pos + 1 };
    shift += 7n;
  }
  throw new WireFormatError(`truncated or overlong varint at byte ${start}`);
}

function take(bytes: Uint8Array, start: number, length: number): Uint8Array {
  if (length < 0 || start + length > bytes.length) {
    throw new WireFormatError(`field of ${length} bytes at byte ${start} runs past the end (${bytes.length})`);
  }
  return bytes.subarray(start, start + length);
}

/** The fields of one message, in the order they were written (repeated fields appear once each). */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const tag = readVarint(bytes, pos);
    pos = tag.next;
    const number = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (number === 0) throw new WireFormatError(`field number 0 at byte ${pos}`);
    switch (wireType) {
      case 0: {
        const varint = readVarint(bytes, pos);
        fields.push({ number, wire: "varint", value: varint.value });
        pos = varint.next;
        break;
      }
      case 1:
        fields.push({ number, wire: "fixed64", bytes: take(bytes, pos, 8) });
        pos += 8;
        break;
      case 2: {
        const length = readVarint(bytes, pos);
        pos = length.next;
        fields.push({ number, wire: "bytes", bytes: take(bytes, pos, Number(length.value)) });
        pos += Number(length.value);
        break;
      }
      case 5:
        fields.push({ number, wire: "fixed32", bytes: take(bytes, pos, 4) });
        pos += 4;
        break;
      default:
        // 3 and 4 are proto2 groups, which no OTLP message uses.
        throw new WireFormatError(`wire type ${wireType} of field ${number} is not one OTLP uses`);
    }
  }
  return fields;
}

/** The length-delimited payloads of field `number` (a repeated message field, say). */
export function bytesOf(fields: readonly WireField[], number: number): Uint8Array[] {
  return fields.flatMap((field) => (field.number === number && field.wire === "bytes" ? [field.bytes] : []));
}

/** The last value of a singular length-delimited field (protobuf's "last one wins"). */
export function lastBytes(fields: readonly WireField[], number: number): Uint8Array | undefined {
  return bytesOf(fields, number).at(-1);
}

export function stringOf(fields: readonly WireField[], number: number): string {
  const bytes = lastBytes(fields, number);
  return bytes ? new TextDecoder().decode(bytes) : "";
}

export function hexOf(fields: readonly WireField[], number: number): string {
  const bytes = lastBytes(fields, number);
  return bytes ? Buffer.from(bytes).toString("hex") : "";
}

export function varintOf(fields: readonly WireField[], number: number): bigint | undefined {
  let found: bigint | undefined;
  for (const field of fields) if (field.number === number && field.wire === "varint") found = field.value;
  return found;
}

export function doubleOf(fields: readonly WireField[], number: number): number | undefined {
  let found: number | undefined;
  for (const field of fields) {
    if (field.number === number && field.wire === "fixed64") {
      found = new DataView(field.bytes.buffer, field.bytes.byteOffset, 8).getFloat64(0, true);
    }
  }
  return found;
}
