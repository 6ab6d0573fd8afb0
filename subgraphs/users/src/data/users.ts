import { and, asc, count, eq, gt, inArray, or, type SQL } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import * as tables from "@asky/db/schema/users";
import { decodeCursor, foldedContains, loaderById, toConnection, type Connection } from "@asky/common";
import type { Role } from "@asky/common";

const { users } = tables;

export type UsersDb = NodePgDatabase<typeof tables>;
export type UserRow = typeof tables.users.$inferSelect;

export const createUserLoader = (db: UsersDb) =>
  loaderById((ids) => db.select().from(users).where(inArray(users.id, ids)));

export interface UserListFilter {
  role?: Role | null;
  search?: string | null;
}

function filterConditions(filter: UserListFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.role) conditions.push(eq(users.role, filter.role));
  if (filter.search) {
    conditions.push(
      or(
        foldedContains(users.fullName, filter.search),
        foldedContains(users.nickname, filter.search),
        foldedContains(users.email, filter.search),
      )!,
    );
  }
  return conditions;
}

/** Users ordered by full name, then id, for stable keyset pages. */
export async function listUsers(
  db: UsersDb,
  filter: UserListFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<UserRow>> {
  const conditions = filterConditions(filter);
  const cursor = decodeCursor(after);
  const pageConditions = cursor
    ? [...conditions, or(gt(users.fullName, cursor.sort), and(eq(users.fullName, cursor.sort), gt(users.id, cursor.id)))!]
    : conditions;
  const [rows, [total]] = await Promise.all([
    db.select().from(users).where(and(...pageConditions)).orderBy(asc(users.fullName), asc(users.id)).limit(size + 1),
    db.select({ value: count() }).from(users).where(and(...conditions)),
  ]);
  return toConnection(rows, size, total?.value ?? 0, (row) => ({ sort: row.fullName, id: row.id }));
}
