import { centsOf, centsToDecimal, errors, invalidField } from "@asky/runtime";
import type { LineReasonCode, RequestLineStatus } from "@asky/contracts";
import type { CatalogFacts } from "../clients/dispensers-client.js";
import type { RequestItemRow } from "../data/requests.js";
import type { PickedLot } from "../validation/pick-lots.js";
import type { PickLine } from "../validation/record-pick-input.js";

export interface SubstitutePlan {
  readonly itemId: string;
  readonly itemKind: RequestItemRow["itemKind"];
  /** numeric(12,2) text, the catalog's price now. */
  readonly unitCost: string;
  /** Frozen from the catalog now, as a line made at creation is. */
  readonly controlList: CatalogFacts["controlList"];
  /** Frozen from the catalog now, likewise. */
  readonly therapeuticClass: CatalogFacts["therapeuticClass"];
  readonly quantity: number;
  readonly lots: readonly PickedLot[];
  /** The line's current substitute when it is the same item: updated in place, keeping its id. */
  readonly reuseId: string | null;
}

/** What one pick line does to its request line. */
export interface LinePlan {
  readonly line: RequestItemRow;
  readonly status: RequestLineStatus;
  readonly quantityDispatched: number;
  readonly reasonCode: LineReasonCode | null;
  readonly note: string | null;
  /** On the line itself; a substituted line's lots are its substitute's. */
  readonly lots: readonly PickedLot[];
  readonly substitute: SubstitutePlan | null;
  /** The line's earlier substitute, removed unless reused. */
  readonly previousSubstituteId: string | null;
}

/** PICKED in full; short: BACKORDERED for BACKORDER, CANCELLED for nothing, PARTIAL otherwise. */
export function lineStatusOf(pick: PickLine, requested: number): RequestLineStatus {
  if (pick.substituteItemId) return "SUBSTITUTED";
  if (pick.quantity === requested) return "PICKED";
  if (pick.reasonCode === "BACKORDER") return "BACKORDERED";
  return pick.quantity === 0 ? "CANCELLED" : "PARTIAL";
}

/**
 * A medication goes out in named lots, each with its expiry (recalls, first-expiry-first-out
 * and the controlled book need them); a material may go out unlotted.
 */
function checkLots(pick: PickLine, kind: RequestItemRow["itemKind"]): void {
  const field = `lines[${pick.index}].lots`;
  if (kind !== "MEDICATION" || pick.quantity === 0) return;
  if (pick.lots.length === 0) {
    throw errors.badUserInput("A medication is picked from named lots", { field, reason: "LOTS_REQUIRED" });
  }
  const undated = pick.lots.findIndex((lot) => lot.expiresAt === null);
  if (undated >= 0) throw invalidField(`${field}[${undated}].expiresAt`, "A medication lot needs its expiry date");
}

function planSubstitute(
  pick: PickLine,
  line: RequestItemRow,
  lines: readonly RequestItemRow[],
  catalog: ReadonlyMap<string, CatalogFacts>,
): SubstitutePlan {
  const field = `lines[${pick.index}].substituteItemId`;
  const itemId = pick.substituteItemId as string;
  const facts = catalog.get(itemId);
  if (!facts) throw errors.badUserInput("Unknown catalog item", { field, itemIds: [itemId] });
  if (facts.kind !== line.itemKind) {
    throw errors.badUserInput(
      `A ${line.itemKind.toLowerCase()} is substituted by another ${line.itemKind.toLowerCase()}`,
      {
        field,
        reason: "SUBSTITUTE_KIND_MISMATCH",
      },
    );
  }
  const current = lines.find((other) => other.id === line.substitutedById) ?? null;
  const reuseId = current?.itemId === itemId ? current.id : null;
  // One row per item and request: an item already asked for is picked on its own line.
  if (!reuseId && lines.some((other) => other.itemId === itemId)) {
    throw errors.badUserInput("The substitute is already a line of this request", {
      field,
      reason: "SUBSTITUTE_ALREADY_ON_REQUEST",
    });
  }
  const unitCost = centsToDecimal(centsOf(facts.unitCost), field);
  const { controlList, therapeuticClass } = facts;
  const frozen = { unitCost, controlList, therapeuticClass };
  return { itemId, itemKind: facts.kind, ...frozen, quantity: pick.quantity, lots: pick.lots, reuseId };
}

/**
 * The effect of each pick line on the request's lines, or the first reason to refuse the
 * pick. Only lines the request asked for are picked: a substitute line changes with the line
 * it replaced.
 */
export function planPick(
  picks: readonly PickLine[],
  lines: readonly RequestItemRow[],
  catalog: ReadonlyMap<string, CatalogFacts>,
): LinePlan[] {
  const substituteIds = new Set(lines.map((line) => line.substitutedById).filter((id) => id !== null));
  const substitutes = new Set<string>();
  return picks.map((pick) => {
    const field = `lines[${pick.index}]`;
    const line = lines.find((candidate) => candidate.itemId === pick.itemId && !substituteIds.has(candidate.id));
    if (!line) {
      throw errors.badUserInput("Not an item this request asked for", {
        field: `${field}.itemId`,
        itemIds: [pick.itemId],
      });
    }
    if (pick.quantity > line.quantity) {
      throw invalidField(`${field}.quantity`, `${field}.quantity must be between 0 and the ${line.quantity} requested`);
    }
    const full = pick.quantity === line.quantity && !pick.substituteItemId;
    if (!full && pick.reasonCode === null) {
      throw invalidField(`${field}.reasonCode`, "A line picked short or not at all needs a reason");
    }
    if (full && pick.reasonCode !== null) {
      throw invalidField(`${field}.reasonCode`, "A line picked in full takes no reason");
    }
    const substitute = pick.substituteItemId ? planSubstitute(pick, line, lines, catalog) : null;
    checkLots(pick, line.itemKind);
    if (substitute) {
      if (substitutes.has(substitute.itemId)) {
        throw invalidField(`${field}.substituteItemId`, "One item substitutes one line per pick");
      }
      substitutes.add(substitute.itemId);
    }
    return {
      line,
      status: lineStatusOf(pick, line.quantity),
      quantityDispatched: substitute ? 0 : pick.quantity,
      reasonCode: pick.reasonCode,
      note: pick.note,
      lots: substitute ? [] : pick.lots,
      substitute,
      previousSubstituteId: line.substitutedById,
    };
  });
}
