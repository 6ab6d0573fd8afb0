import { intInRange, invalidField, keyText, optionalText, uuidField } from "@asky/runtime";
import type { RequestKind } from "@asky/db/schema/requests";
import type { NormalizedRequest, RequestLine } from "../domain/normalized-request.js";
import { kindRule } from "../domain/request-kinds.js";
import type { CreateRequestInput } from "../generated/resolvers-types.js";

export const MAX_ITEM_LINES = 50;
export const MAX_QUANTITY = 10_000;
export const MAX_NOTE_LENGTH = 1_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Adds up lines of the same item (the table holds one row per item) and orders them. */
export function mergeLines(lines: readonly RequestLine[]): RequestLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.itemId, (merged.get(line.itemId) ?? 0) + line.quantity);
  return [...merged]
    .map(([itemId, quantity]) => ({ itemId, quantity: intInRange(quantity, "items.quantity", 1, MAX_QUANTITY) }))
    .sort((a, b) => a.itemId.localeCompare(b.itemId));
}

function normalizeItems(kind: RequestKind, items: CreateRequestInput["items"]): RequestLine[] {
  const lines = items ?? [];
  if (kindRule(kind).itemKinds.length === 0) {
    if (lines.length > 0) throw invalidField("items", `${kind} requests carry no items`);
    return [];
  }
  if (lines.length === 0) throw invalidField("items", `${kind} requests need at least one item`);
  if (lines.length > MAX_ITEM_LINES) {
    throw invalidField("items", `A request carries at most ${MAX_ITEM_LINES} items`);
  }
  return mergeLines(
    lines.map((line) => ({
      itemId: uuidField(line.itemId, "items.itemId"),
      quantity: intInRange(line.quantity, "items.quantity", 1, MAX_QUANTITY),
    })),
  );
}

function normalizeIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  return keyText(key, "idempotencyKey", MAX_IDEMPOTENCY_KEY_LENGTH);
}

/** Bounds and shape of a createRequest input; everything that needs no lookup. */
export function normalizeCreateRequest(input: CreateRequestInput): NormalizedRequest {
  const kind = input.kind;
  const note = optionalText(input.note, "note", MAX_NOTE_LENGTH, "multiline");
  const reason = input.reason ?? null;
  const rule = kindRule(kind);
  if (rule.needsAssistanceReason && reason === null) {
    throw invalidField("reason", `${kind} requests need a reason`);
  }
  if (!rule.needsAssistanceReason && reason !== null) {
    throw invalidField("reason", `Only ASSISTANCE requests take a reason`);
  }
  if (reason === "OTHER" && note === null) {
    throw invalidField("note", "Say what is wrong in the note when the reason is OTHER");
  }
  return {
    kind,
    priority: input.priority ?? "ROUTINE",
    dispenserId: uuidField(input.dispenserId, "dispenserId"),
    items: normalizeItems(kind, input.items),
    note,
    assistanceReason: reason,
    idempotencyKey: normalizeIdempotencyKey(input.idempotencyKey),
  };
}
