import { eventConsumer } from "@asky/service";
import { stockLow } from "@asky/contracts";
import type { RequestsRuntime } from "../context.js";
import type { RequestsTx } from "../data/db.js";
import { restockHandler } from "../services/restock-loop.js";

/** Other services' events the requests service acts on; its start order runs them. */
export const consumers = [
  // A cabinet running low opens (or grows) its one RESTOCK request.
  eventConsumer({
    durable: "requests-stock-low",
    event: stockLow,
    handle: (event, tx: RequestsTx, { logger }: RequestsRuntime) => restockHandler(logger)(event, tx),
  }),
];
