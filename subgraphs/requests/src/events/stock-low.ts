import { stockLow } from "@asky/contracts";

/** The restock loop's event, read through its contract; the consumer wiring names it so. */
export const STOCK_LOW_SUBJECT = stockLow.subject;
export const parseStockLow = stockLow.parseData;
