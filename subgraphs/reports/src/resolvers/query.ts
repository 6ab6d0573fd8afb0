import { wardScopeOf } from "@asky/contracts";
import { errors } from "@asky/runtime";
import type { ReportsContext } from "../context.js";
import { consumptionReport } from "../data/consumption.js";
import { expiryLossReport } from "../data/expiry-loss.js";
import { fillRateReport } from "../data/fill-rate.js";
import { stockoutsReport } from "../data/stockouts.js";
import { turnaroundReport } from "../data/turnaround.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";
import { checkReportQuery } from "../validation/report-query.js";
import { checkStockoutQuery } from "../validation/stockout-query.js";
import { webhookQuery } from "./webhook-query.js";

/** The ward the viewer is confined to (a nurse's), or null for the pharmacy and admins. */
function scopeOf({ viewer }: ReportsContext): string | null {
  if (!viewer) throw errors.unauthenticated();
  return wardScopeOf(viewer);
}

export const Query: QueryResolvers = {
  turnaround: (_parent, args, context) => turnaroundReport(context.db, checkReportQuery(args), scopeOf(context)),
  fillRate: (_parent, args, context) => fillRateReport(context.db, checkReportQuery(args), scopeOf(context)),
  consumption: (_parent, args, context) => consumptionReport(context.db, checkReportQuery(args), scopeOf(context)),
  stockouts: (_parent, args, context) => stockoutsReport(context.db, checkStockoutQuery(args), scopeOf(context)),
  expiryLoss: (_parent, { groupBy, ...args }, context) =>
    expiryLossReport(context.db, checkReportQuery({ ...args, groupBy: groupBy ?? [] }), scopeOf(context)),
  ...webhookQuery,
};
