import { errors, hospitalToday } from "@asky/runtime";
import type { ControlList } from "@asky/db/schema/dispensers";
import type { DispensersContext } from "../context.js";
import { insertClosure, lockBookOf, writeClosureBalances } from "../data/book-closures.js";
import { checkClosableMonth } from "../domain/book-period.js";
import type { ResolversTypes } from "../generated/resolvers-types.js";
import { assembleClosures } from "./controlled-book.js";

/**
 * A pharmacist signs off a month of a list's book: the closure and every item's balance at the
 * end of the month commit together, under the list's lock, so no movement of the list can slip
 * in between the balances and the closure; from then on the ledger trigger refuses any row of
 * the list in that month. A month closed before is refused and changes nothing.
 */
export async function closeControlledBookPeriod(
  context: DispensersContext,
  args: { list: ControlList; month: string },
): Promise<ResolversTypes["ControlledBookClosure"]> {
  const viewer = context.viewer;
  if (!viewer) throw errors.unauthenticated();
  const month = checkClosableMonth(args.month, hospitalToday());
  const closure = await context.db.transaction(async (tx) => {
    await lockBookOf(tx, args.list);
    const row = await insertClosure(tx, { list: args.list, month, closedBy: viewer.id });
    if (!row) {
      throw errors.conflict(`The ${args.list} book of ${month} is closed already`, {
        reason: "PERIOD_ALREADY_CLOSED",
        field: "month",
      });
    }
    await writeClosureBalances(tx, row);
    return row;
  });
  const [assembled] = await assembleClosures(context, [closure]);
  return assembled!;
}
