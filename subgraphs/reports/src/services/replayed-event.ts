import { parseStored, pickRecorded, requestLifecycleEvents, requestLinesChanged, stockMoved } from "@asky/contracts";
import type { SqlExecutor } from "../data/project-request.js";
import { insertStockMovementFact } from "../data/stock-movement-facts.js";
import { projectLinesChanged, projectPickRecorded, projectRequestEvent } from "./project-request-event.js";
import { slaProjections } from "./replayed-sla-events.js";

/** One filter subject (nats-server 2.9 takes one): every event, those the read model keeps picked out below. */
export const REPLAYED_SUBJECTS = "asky.>";

/** An event's effect on the read model, to run in the replay's transaction. */
export type ReplayedEvent = (tx: SqlExecutor) => Promise<void>;

type Projection = (raw: unknown) => ReplayedEvent | null;

/** What the live consumers project, by subject: the request lifecycle, lines changes, picks' versions and the stock ledger. */
const projections = new Map<string, Projection>([
  ...requestLifecycleEvents.map((contract): [string, Projection] => [
    contract.subject,
    (raw) => {
      const event = parseStored(contract, raw);
      return event && ((tx) => projectRequestEvent(tx, event));
    },
  ]),
  [
    requestLinesChanged.subject,
    (raw) => {
      const event = parseStored(requestLinesChanged, raw);
      return event && ((tx) => projectLinesChanged(tx, event));
    },
  ],
  [
    pickRecorded.subject,
    (raw) => {
      const event = parseStored(pickRecorded, raw);
      return event && ((tx) => projectPickRecorded(tx, event));
    },
  ],
  [
    stockMoved.subject,
    (raw) => {
      const event = parseStored(stockMoved, raw);
      return event && ((tx) => insertStockMovementFact(tx, event));
    },
  ],
  // The turnaround clock's warnings and breaches (withinSla).
  ...slaProjections,
]);

/**
 * A stored event as the replay applies it: "ignored" for a subject the read model keeps
 * nothing of (alerts, other services' events), "unreadable" for one its contract
 * refuses (the live consumer terminated it too).
 */
export function replayedEvent(subject: string, raw: () => unknown): ReplayedEvent | "ignored" | "unreadable" {
  const projection = projections.get(subject);
  if (!projection) return "ignored";
  return projection(raw()) ?? "unreadable";
}
