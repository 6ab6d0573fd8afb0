import DataLoader from "dataloader";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { requests, type RequestStatus } from "@asky/db/schema/requests";
import { isUuid } from "@asky/contracts";
import { type Connection } from "@asky/runtime";
import type { RequestsDb } from "./db.js";
import { filterConditions, newestFirst, pageColumns, type RequestPageRow } from "./requests.js";

/** One `User.requests` page: whose, and the field's arguments with the viewer's ward scope. */
export interface RequesterPageKey {
  readonly requesterId: string;
  readonly size: number;
  readonly after: string | null;
  readonly status: readonly RequestStatus[] | null;
  /** Null when the viewer sees every ward. */
  readonly ward: string | null;
}

type PageArguments = Omit<RequesterPageKey, "requesterId">;

/** Per requester (lowercase id): its page, one row past the page size, and its total. */
type RequesterPages = Map<string, { total: number; rows: RequestPageRow[] }>;

const argumentsKey = (key: PageArguments): string => JSON.stringify([key.size, key.after, key.status, key.ward]);

/**
 * The pages of many requesters in one statement, with the same order, cursor, page size and
 * totals as listRequests gives one requester. Per requester, the count of its matching
 * requests drives a lateral top-N over the (requester_id, created_at) index, so a requester
 * with years of history costs one short index scan, not a sort of everything they made.
 */
async function fetchPages(
  db: RequestsDb,
  requesterIds: readonly string[],
  page: PageArguments,
): Promise<RequesterPages> {
  const scope = filterConditions({ status: page.status, ward: page.ward });
  const totals = db
    .select({ requesterId: requests.requesterId, total: count().as("total") })
    .from(requests)
    .where(and(inArray(requests.requesterId, [...requesterIds]), ...scope))
    .groupBy(requests.requesterId)
    .as("totals");
  const rows = db
    .select(pageColumns)
    .from(requests)
    .where(and(eq(requests.requesterId, totals.requesterId), ...scope, newestFirst.past(page.after)))
    .orderBy(...newestFirst.orderBy)
    .limit(page.size + 1)
    .as("page");
  const found = await db
    .select()
    .from(totals)
    .leftJoinLateral(rows, sql`true`)
    .orderBy(asc(totals.requesterId), desc(rows.createdAt), desc(rows.id));

  const byRequester: RequesterPages = new Map();
  for (const { totals: group, page: row } of found) {
    let entry = byRequester.get(group.requesterId);
    if (!entry) byRequester.set(group.requesterId, (entry = { total: group.total, rows: [] }));
    if (row) entry.rows.push(row);
  }
  return byRequester;
}

/**
 * `User.requests` for every user of one level of a query in one statement per distinct set
 * of arguments (usually one), instead of two statements per user: a list of 100 requests
 * whose requesters list 100 requests each cost 200 statements a level before.
 */
export const createRequesterPagesLoader = (db: RequestsDb) =>
  new DataLoader<RequesterPageKey, Connection<RequestPageRow>, string>(
    async (keys) => {
      const groups = new Map<string, { page: PageArguments; ids: Set<string> }>();
      for (const key of keys) {
        const id = key.requesterId.toLowerCase();
        // A malformed id names nobody: an empty page, not a failed cast for the whole batch.
        if (!isUuid(id)) continue;
        const name = argumentsKey(key);
        let group = groups.get(name);
        if (!group) groups.set(name, (group = { page: key, ids: new Set() }));
        group.ids.add(id);
      }
      // A bad cursor fails the fields that carry it, not the other argument sets of the batch.
      const pages = new Map<string, Promise<RequesterPages>>();
      for (const [name, group] of groups)
        pages.set(
          name,
          Promise.resolve().then(() => fetchPages(db, [...group.ids], group.page)),
        );
      return Promise.all(
        keys.map(async (key) => {
          try {
            const page = pages.get(argumentsKey(key));
            const found = page ? (await page).get(key.requesterId.toLowerCase()) : undefined;
            return newestFirst.connection(found?.rows ?? [], key.size, found?.total ?? 0);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
    { cacheKeyFn: (key) => `${argumentsKey(key)}|${key.requesterId.toLowerCase()}` },
  );
