import { eventConsumer } from "@asky/service";
import { slaBreached, slaWarning } from "@asky/contracts";
import type { ReportsTx } from "../data/db.js";
import { projectSlaEvent } from "../services/project-sla-event.js";

/**
 * The turnaround clock's warnings and breaches, projected into the read model (turnaround's
 * `withinSla`). One consumer per subject, like the lifecycle's (nats-server 2.9 takes one filter
 * subject); each is idempotent and order-tolerant, so they may run ahead of or behind the
 * lifecycle consumers.
 */
export const slaConsumers = [
  eventConsumer({
    durable: "reports-sla-warning",
    event: slaWarning,
    handle: (event, tx: ReportsTx) => projectSlaEvent(tx, "SLA_WARNING", event),
    pool: "own",
  }),
  eventConsumer({
    durable: "reports-sla-breached",
    event: slaBreached,
    handle: (event, tx: ReportsTx) => projectSlaEvent(tx, "SLA_BREACHED", event),
    pool: "own",
  }),
];
