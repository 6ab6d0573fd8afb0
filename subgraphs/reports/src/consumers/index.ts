import { eventConsumer } from "@asky/service";
import { requestCreated, requestStatusChanged } from "@asky/contracts";
import type { ReportsTx } from "../data/db.js";
import { projectRequestEvent } from "../services/project-request-event.js";
import { webhookConsumers } from "./webhooks.js";

/**
 * The request lifecycle, projected into the read model. One consumer per subject (nats-server
 * 2.9 takes one filter subject), so a status change may be handled before its request's
 * creation: the projection does not mind. Webhooks have consumers of their own (webhooks.ts).
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
  ...webhookConsumers,
];
