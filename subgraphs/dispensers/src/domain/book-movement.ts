import { assertNever } from "@asky/runtime";
import type { StockReason } from "@asky/db/schema/dispensers";

/** The book's three columns (BookMovement in the schema). */
export type BookMovement = "ENTRY" | "EXIT" | "LOSS";

/**
 * How a ledger row reads in the controlled substances book (Portaria SVS/MS 344/98 keeps
 * entries, exits and losses apart). A RETURNED unit comes back into the cabinets, so it is an
 * entry (the exit it undoes stays on the book); a positive count correction or OTHER found units
 * the system did not know of, also an entry. Negative corrections and OTHER are losses, like
 * EXPIRED and DAMAGED: units gone without reaching a patient, each one witnessed. DISPENSED is
 * the one exit: to a patient, under a prescription.
 */
export function bookMovementOf(reason: StockReason, delta: number): BookMovement {
  switch (reason) {
    case "RESTOCK":
    case "RETURNED":
      return "ENTRY";
    case "DISPENSED":
      return "EXIT";
    case "EXPIRED":
    case "DAMAGED":
      return "LOSS";
    case "COUNT_CORRECTION":
    case "OTHER":
      return delta > 0 ? "ENTRY" : "LOSS";
    default:
      return assertNever(reason, "stock reason");
  }
}

/** What the book needs of a ledger row to name its document. */
export interface DocumentSource {
  readonly seq: number;
  readonly note: string | null;
  readonly sourceEventId: string | null;
}

const REQUEST_NUMBER = /\bREQ-\d{6,}\b/;
const RESTOCK_SOURCE = /^restock:([^:]+):/;

/**
 * What justifies a movement: the request number of a delivered restock (its ledger note names
 * it, e.g. "Delivered REQ-000123"; the request id when the note does not), an adjustment's note
 * (where the pharmacy writes the prescription or occurrence number), or else MOV- and the
 * ledger row's sequence number, which points at the row itself.
 */
export function documentOf(row: DocumentSource): string {
  const restock = row.sourceEventId === null ? null : RESTOCK_SOURCE.exec(row.sourceEventId);
  if (restock) return REQUEST_NUMBER.exec(row.note ?? "")?.[0] ?? `RESTOCK ${restock[1]}`;
  const note = row.note?.trim();
  if (note) return note;
  return `MOV-${String(row.seq).padStart(6, "0")}`;
}
