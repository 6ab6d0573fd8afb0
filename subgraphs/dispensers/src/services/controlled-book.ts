import { errors } from "@asky/runtime";
import { isUuid } from "@asky/contracts";
import type { ControlList } from "@asky/db/schema/dispensers";
import type { DispensersContext } from "../context.js";
import type { CatalogItemRow } from "../data/catalog.js";
import { balancesOf, closuresOverlapping, type BookClosureRow } from "../data/book-closures.js";
import { readBookEntries, summarizeBook, type BookEntryRow, type BookScope } from "../data/controlled-book.js";
import type { DispenserRow } from "../data/dispensers.js";
import { bookMovementOf, documentOf } from "../domain/book-movement.js";
import { checkBookRange, MAX_BOOK_ENTRIES } from "../domain/book-period.js";
import type { ResolversTypes } from "../generated/resolvers-types.js";

type Book = ResolversTypes["ControlledBook"];
type BookItem = ResolversTypes["ControlledBookItem"];
type BookEntry = ResolversTypes["ControlledBookEntry"];
type Closure = ResolversTypes["ControlledBookClosure"];

const byName = (a: CatalogItemRow, b: CatalogItemRow) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** Rows of the loaders that must be there (the ledger's foreign keys say they are). */
async function loadAll<T>(
  load: (ids: string[]) => Promise<(T | Error | null)[]>,
  ids: Iterable<string>,
  what: string,
): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const rows = await load(unique);
  const found = new Map<string, T>();
  rows.forEach((row, index) => {
    if (row instanceof Error) throw row;
    if (row === null) throw new Error(`${what} ${unique[index]} of the ledger is missing`);
    found.set(unique[index]!, row);
  });
  return found;
}

/** Closed months overlapping the range, with their balances (one statement each). */
export async function closuresOf(
  context: DispensersContext,
  list: ControlList,
  range: { from: Date; to: Date },
): Promise<Closure[]> {
  return assembleClosures(context, await closuresOverlapping(context.db, list, range));
}

export async function assembleClosures(
  context: DispensersContext,
  rows: readonly BookClosureRow[],
): Promise<Closure[]> {
  const balances = await balancesOf(
    context.db,
    rows.map((row) => row.id),
  );
  const items = await loadAll(
    (ids) => context.loaders.catalogItem.loadMany(ids),
    balances.map((row) => row.itemId),
    "item",
  );
  return rows.map((row) => ({
    list: row.controlList,
    month: row.month,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    closedAt: row.closedAt,
    closedBy: { id: row.closedBy },
    balances: balances
      .filter((balance) => balance.closureId === row.id)
      .map((balance) => ({ item: items.get(balance.itemId)!, balance: balance.balance }))
      .sort((a, b) => byName(a.item, b.item)),
  }));
}

function entryOf(row: BookEntryRow, balance: number, dispenser: DispenserRow): BookEntry {
  return {
    id: row.id,
    at: row.at,
    document: documentOf(row),
    dispenser,
    movement: bookMovementOf(row.reason, row.delta),
    reason: row.reason,
    quantity: Math.abs(row.delta),
    balance,
    lotNumber: row.lotNumber,
    actor: row.actorId === null ? null : { id: row.actorId },
    witness: row.witnessId === null ? null : { id: row.witnessId },
  };
}

/**
 * The controlled substances book of a list over [from, to), hospital-wide per item: the
 * opening balance, every ledger row in order with the running balance after it, and the
 * closing balance. Bounded: the range by checkBookRange, the entries by MAX_BOOK_ENTRIES
 * (counted before any is read), three statements plus the loaders' batches.
 */
export async function controlledBook(
  context: DispensersContext,
  args: { list: ControlList; itemId: string | null; from: Date; to: Date },
): Promise<Book> {
  const range = checkBookRange(args.from, args.to);
  const item = args.itemId === null ? null : await context.loaders.catalogItem.load(args.itemId);
  if (args.itemId !== null && (!isUuid(args.itemId) || !item || item.controlList !== args.list)) {
    throw errors.notFound(`Medication of list ${args.list}`, args.itemId);
  }
  const scope: BookScope = { list: args.list, itemId: args.itemId, ...range };
  const summaries = (await summarizeBook(context.db, scope)).filter(
    (summary) => summary.itemId === args.itemId || summary.opening !== 0 || summary.entries > 0,
  );
  const total = summaries.reduce((sum, summary) => sum + summary.entries, 0);
  if (total > MAX_BOOK_ENTRIES) {
    throw errors.badUserInput(`The book holds ${total} entries, over the limit of ${MAX_BOOK_ENTRIES}`, {
      reason: "BOOK_TOO_LARGE",
      measured: total,
      limit: MAX_BOOK_ENTRIES,
    });
  }
  const [rows, closedPeriods] = await Promise.all([
    total === 0 ? Promise.resolve([]) : readBookEntries(context.db, scope, MAX_BOOK_ENTRIES),
    closuresOf(context, args.list, range),
  ]);
  const [items, dispensers] = await Promise.all([
    loadAll(
      (ids) => context.loaders.catalogItem.loadMany(ids),
      summaries.map((s) => s.itemId),
      "item",
    ),
    loadAll(
      (ids) => context.loaders.dispenser.loadMany(ids),
      rows.map((row) => row.dispenserId),
      "dispenser",
    ),
  ]);
  const ordered = [...summaries].sort((a, b) => byName(items.get(a.itemId)!, items.get(b.itemId)!));
  const sections: BookItem[] = ordered.map((summary) => {
    let balance = summary.opening;
    const entries = rows
      .filter((row) => row.itemId === summary.itemId)
      .map((row) => {
        balance += row.delta;
        return entryOf(row, balance, dispensers.get(row.dispenserId)!);
      });
    return { item: items.get(summary.itemId)!, openingBalance: summary.opening, closingBalance: balance, entries };
  });
  return { list: args.list, from: range.from, to: range.to, items: sections, closedPeriods };
}
