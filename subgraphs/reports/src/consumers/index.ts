import { eventConsumer } from "@asky/service";
import { pickRecorded, requestCreated, requestLinesChanged, requestStatusChanged, stockMoved } from "@asky/contracts";
import type { ReportsTx } from "../data/db.js";
import { insertStockMovementFact } from "../data/stock-movement-facts.js";
import { projectLinesChanged, projectPickRecorded, projectRequestEvent } from "../services/project-request-event.js";
import { slaConsumers } from "./sla.js";
import { webhookConsumers } from "./webhooks.js";

/**
 * The request lifecycle, projected into the read model. One consumer per subject (nats-server
 * 2.9 takes one filter subject), so a status change may be handled before its request's
 * creation: the projection does not mind. The turnaround clock's warnings and breaches have
 * theirs (sla.ts), and so do webhooks (webhooks.ts).
 */
export const consumers = [
  eventConsumer({
    durable: "reports-request-created",
    event: requestCreated,
    handle: (event, tx: ReportsTx) => projectRequestEvent(tx, event),
    pool: "own",
  }),
  eventConsumer({
    durable: "reports-request-status-changed",
    event: requestStatusChanged,
    handle: (event, tx: ReportsTx) => projectRequestEvent(tx, event),
    pool: "own",
  }),
  // A PENDING restock grown by the restock loop: its lines and version, no status time.
  eventConsumer({
    durable: "reports-request-lines-changed",
    event: requestLinesChanged,
    handle: (event, tx: ReportsTx) => projectLinesChanged(tx, event),
    pool: "own",
  }),
  // A pick: the version it reached, so the read model follows every version of the request.
  eventConsumer({
    durable: "reports-pick-recorded",
    event: pickRecorded,
    handle: (event, tx: ReportsTx) => projectPickRecorded(tx, event),
    pool: "own",
  }),
  // The cabinets' stock ledger, one event per row, for stockouts and expiry losses.
  eventConsumer({
    durable: "reports-stock-moved",
    event: stockMoved,
    handle: (event, tx: ReportsTx) => insertStockMovementFact(tx, event),
    pool: "own",
  }),
  ...slaConsumers,
  ...webhookConsumers,
];
