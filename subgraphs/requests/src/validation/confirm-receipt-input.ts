import { intInRange, invalidField, optionalText, uuidField } from "@asky/runtime";
import type { ConfirmReceiptInput, ReceivedLineInput } from "../generated/resolvers-types.js";
import { MAX_PICK_LINES, MAX_PICK_NOTE_LENGTH, MAX_PICK_QUANTITY } from "./record-pick-limits.js";
import { checkWitnessToken, MAX_REASON_LENGTH } from "./status-change-input.js";

export interface ReceivedLine {
  /** Position in the input, for errors naming `lines[i]`. */
  readonly index: number;
  readonly itemId: string;
  readonly quantityReceived: number;
  readonly note: string | null;
}

export interface NormalizedReceipt {
  readonly requestId: string;
  readonly expectedVersion: number;
  /** Lines received other than in full; the rest arrived as dispatched. */
  readonly lines: readonly ReceivedLine[];
  readonly witnessToken: string | null;
  /** The remark for the history entry. */
  readonly note: string | null;
}

function normalizeLine(line: ReceivedLineInput, index: number): ReceivedLine {
  const field = `lines[${index}]`;
  return {
    index,
    itemId: uuidField(line.itemId, `${field}.itemId`),
    quantityReceived: intInRange(line.quantityReceived, `${field}.quantityReceived`, 0, MAX_PICK_QUANTITY),
    note: optionalText(line.note, `${field}.note`, MAX_PICK_NOTE_LENGTH, "multiline"),
  };
}

/** Bounds and shape of a confirmReceipt input: everything that needs neither the request nor a witness. */
export function normalizeConfirmReceipt(input: ConfirmReceiptInput): NormalizedReceipt {
  const requestId = uuidField(input.requestId, "requestId");
  const expectedVersion = intInRange(input.expectedVersion, "expectedVersion", 1, 2_147_483_647);
  const given = input.lines ?? [];
  // Checked before any line is read: a list of 10,000 lines costs one comparison.
  if (given.length > MAX_PICK_LINES) throw invalidField("lines", `A receipt names at most ${MAX_PICK_LINES} lines`);
  const lines = given.map(normalizeLine);
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.itemId)) throw invalidField(`lines[${line.index}].itemId`, "Each line is named once per receipt");
    seen.add(line.itemId);
  }
  return {
    requestId,
    expectedVersion,
    lines,
    witnessToken: checkWitnessToken(input.witnessToken),
    note: optionalText(input.note, "note", MAX_REASON_LENGTH, "multiline"),
  };
}
