import { intInRange, invalidField, optionalText, uuidField } from "@asky/runtime";
import type { LineReasonCode } from "@asky/contracts";
import type { RecordPickInput, RecordPickLine } from "../generated/resolvers-types.js";
import { normalizeLots, type PickedLot } from "./pick-lots.js";
import { MAX_PICK_LINES, MAX_PICK_NOTE_LENGTH, MAX_PICK_QUANTITY } from "./record-pick-limits.js";

export interface PickLine {
  /** Position in the input, for errors naming `lines[i]`. */
  readonly index: number;
  readonly itemId: string;
  readonly quantity: number;
  readonly lots: readonly PickedLot[];
  /** SUBSTITUTION whenever a substitute is named. */
  readonly reasonCode: LineReasonCode | null;
  readonly substituteItemId: string | null;
  readonly note: string | null;
}

export interface NormalizedPick {
  readonly requestId: string;
  readonly expectedVersion: number;
  readonly lines: readonly PickLine[];
}

/** The substitution rules that need no catalog: a substitute is picked, is another item, implies SUBSTITUTION. */
function normalizeSubstitute(line: RecordPickLine, field: string, itemId: string, quantity: number): string | null {
  const reasonCode = line.reasonCode ?? null;
  if (line.substituteItemId === null || line.substituteItemId === undefined) {
    if (reasonCode === "SUBSTITUTION") {
      throw invalidField(`${field}.substituteItemId`, "Name the substitute item with reason SUBSTITUTION");
    }
    return null;
  }
  const substitute = uuidField(line.substituteItemId, `${field}.substituteItemId`);
  if (substitute === itemId) throw invalidField(`${field}.substituteItemId`, "An item cannot substitute itself");
  if (reasonCode !== null && reasonCode !== "SUBSTITUTION") {
    throw invalidField(`${field}.reasonCode`, "A substitution's reason is SUBSTITUTION");
  }
  if (quantity === 0) throw invalidField(`${field}.quantity`, "A substitute is picked with quantity 1 or more");
  return substitute;
}

function normalizeLine(line: RecordPickLine, index: number): PickLine {
  const field = `lines[${index}]`;
  const itemId = uuidField(line.itemId, `${field}.itemId`);
  const quantity = intInRange(line.quantity, `${field}.quantity`, 0, MAX_PICK_QUANTITY);
  const note = optionalText(line.note, `${field}.note`, MAX_PICK_NOTE_LENGTH, "multiline");
  const substituteItemId = normalizeSubstitute(line, field, itemId, quantity);
  const reasonCode = substituteItemId ? "SUBSTITUTION" : (line.reasonCode ?? null);
  if (reasonCode === "OTHER" && note === null) {
    throw invalidField(`${field}.note`, "Explain the reason in the note when the code is OTHER");
  }
  const lots = normalizeLots(line.lots, field, quantity);
  return { index, itemId, quantity, lots, reasonCode, substituteItemId, note };
}

/** Bounds and shape of a recordPick input: everything that needs neither the request nor the catalog. */
export function normalizeRecordPick(input: RecordPickInput): NormalizedPick {
  const requestId = uuidField(input.requestId, "requestId");
  const expectedVersion = intInRange(input.expectedVersion, "expectedVersion", 1, 2_147_483_647);
  if (input.lines.length === 0) throw invalidField("lines", "A pick names at least one line");
  // Checked before any line is read: a list of 10,000 lines costs one comparison.
  if (input.lines.length > MAX_PICK_LINES) {
    throw invalidField("lines", `A pick names at most ${MAX_PICK_LINES} lines`);
  }
  const lines = input.lines.map(normalizeLine);
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.itemId)) {
      throw invalidField(`lines[${line.index}].itemId`, "Each line of the request is picked once per pick");
    }
    seen.add(line.itemId);
  }
  return { requestId, expectedVersion, lines };
}
