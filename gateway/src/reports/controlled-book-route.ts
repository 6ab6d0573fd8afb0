import type { IncomingMessage } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { controlLists, isUuid } from "@asky/contracts";
import type { HttpAdmission, Logger, RouteHandler } from "@asky/runtime";
import type { GatewayContext } from "../context.js";
import { CONTROLLED_BOOK_QUERY, CSV_HEADER, bookRows, type BookData } from "./controlled-book-query.js";
import { BadParameter, csvExportRoute, dateTimeParam, type CsvExport } from "./csv-route.js";

export const CONTROLLED_BOOK_CSV_PATH = "/reports/controlled-book.csv";

type Variables = { list: string; itemId: string | null; from: string; to: string };

/**
 * GET /reports/controlled-book.csv?list=A1&from=…&to=…[&itemId=…]: the controlledBook query
 * (pharmacists and administrators) as CSV, one row per entry framed by each item's balances.
 */
export const controlledBookExport: CsvExport<Variables, BookData> = {
  name: "controlled book",
  params: new Set(["list", "itemId", "from", "to"]),
  variables: (params) => {
    const list = params.get("list") ?? "";
    if (!(controlLists as readonly string[]).includes(list)) {
      throw new BadParameter("list", `list must be one of ${controlLists.join(", ")}`);
    }
    const itemId = params.get("itemId");
    if (itemId !== null && !isUuid(itemId)) throw new BadParameter("itemId", "itemId must be a UUID");
    return { list, itemId, from: dateTimeParam(params, "from"), to: dateTimeParam(params, "to") };
  },
  query: CONTROLLED_BOOK_QUERY,
  header: () => CSV_HEADER,
  rows: bookRows,
  fileName: ({ list, from, to }) => `controlled-book-${list}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv`,
  logged: ({ list }) => ({ list }),
};

export function controlledBookCsvRoute(
  apollo: ApolloServer<GatewayContext>,
  context: (req: IncomingMessage) => Promise<GatewayContext>,
  logger: Logger,
  admission: HttpAdmission | null,
): RouteHandler {
  return csvExportRoute(controlledBookExport, { apollo, context, logger, admission });
}
