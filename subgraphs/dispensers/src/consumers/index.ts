import { eventConsumer } from "@asky/service";
import { requestStatusChanged } from "@asky/contracts";
import type { DispensersRuntime } from "../context.js";
import type { DispensersTx } from "../data/db.js";
import { applyDeliveredRestock } from "../services/restock-delivery.js";
import { withoutClosedBookItems } from "./closed-book-restock.js";

/** Other services' events the dispensers service acts on; its start order runs them. */
export const consumers = [
  // A delivered RESTOCK adds its quantities to the cabinet's stock; other status changes are skipped.
  eventConsumer({
    durable: "dispensers-restock-delivered",
    event: requestStatusChanged,
    handle: async ({ data }, tx: DispensersTx, { logger }: DispensersRuntime) => {
      if (data.kind !== "RESTOCK" || data.status !== "DELIVERED") return;
      await applyDeliveredRestock(tx, await withoutClosedBookItems(tx, data, logger), logger);
    },
    // Consuming must not wait behind client traffic, nor starve it.
    pool: "own",
  }),
];
