import { eventConsumer } from "@asky/common";
import type { DispensersRuntime } from "../context.js";
import type { DispensersTx } from "../data/db.js";
import { applyDeliveredRestock, parseDeliveredRestock, REQUEST_STATUS_CHANGED_SUBJECT } from "./restock-delivered.js";

/** Other services' events the dispensers service acts on; its start order runs them. */
export const consumers = [
  // A delivered RESTOCK adds its quantities to the cabinet's stock; other status changes are skipped.
  eventConsumer({
    durable: "dispensers-restock-delivered",
    subject: REQUEST_STATUS_CHANGED_SUBJECT,
    parse: parseDeliveredRestock,
    handle: async (event, tx: DispensersTx, { logger }: DispensersRuntime) => {
      if (event.data) await applyDeliveredRestock(tx, event.data, logger);
    },
    // Consuming must not wait behind client traffic, nor starve it.
    pool: "own",
  }),
];
