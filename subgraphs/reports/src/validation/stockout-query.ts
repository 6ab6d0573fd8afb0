import { isUuid } from "@asky/contracts";
import { errors } from "@asky/runtime";
import type { StockoutQuery } from "../data/stockouts.js";
import { checkReportQuery } from "./report-query.js";

/** The period as every report checks it, and a cabinet id that is an id (not a query on a malformed one). */
export function checkStockoutQuery(args: {
  from: Date | string;
  to: Date | string;
  dispenserId?: string | null;
  ward?: string | null;
}): StockoutQuery {
  const { from, to, ward } = checkReportQuery({ from: args.from, to: args.to, groupBy: [], ward: args.ward });
  const dispenserId = args.dispenserId ?? null;
  if (dispenserId !== null && !isUuid(dispenserId)) {
    throw errors.badUserInput("dispenserId is not a valid id", { field: "dispenserId", reason: "INVALID_ID" });
  }
  return { from, to, ward, dispenserId: dispenserId?.toLowerCase() ?? null };
}
