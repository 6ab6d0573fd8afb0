import { and, count, eq, inArray, or, type SQL } from "drizzle-orm";
import * as tables from "@asky/db/schema/users";
import { countOf, errors, foldedContains, keyset, loaderById, uniqueViolation, type Connection } from "@asky/runtime";
import { isUuid, type Role } from "@asky/contracts";
import type { UsersDb, UsersExecutor } from "./db.js";

const { users } = tables;

export type { UsersDb } from "./db.js";
export type UserRow = typeof tables.users.$inferSelect;
export type NewUserRow = typeof tables.users.$inferInsert;
/** Columns an update may set; id, timestamps and the hash have their own paths. */
export type UserColumns = Partial<
  Pick<UserRow, "nickname" | "fullName" | "email" | "phone" | "cpf" | "role" | "ward" | "active">
>;

export const createUserLoader = (db: UsersDb) =>
  loaderById(async (ids) => {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? [] : db.select().from(users).where(inArray(users.id, valid));
  });

export async function findUserByEmail(db: UsersExecutor, email: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row ?? null;
}

/** Reads a user and locks the row until the transaction ends, so concurrent edits queue. */
export async function lockUser(tx: UsersExecutor, id: string): Promise<UserRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for("update");
  return row ?? null;
}

/** Unique constraints of the users table → the input field a client should fix. */
const uniqueFields: Readonly<Record<string, string>> = { users_email_key: "email", users_cpf_key: "cpf" };

function conflictOrRethrow(error: unknown): never {
  const constraint = uniqueViolation(error);
  const field = constraint === null ? undefined : uniqueFields[constraint];
  if (field) throw errors.conflict(`Another user already has this ${field === "cpf" ? "CPF" : field}`, { field });
  throw error;
}

/** Duplicate email or CPF → CONFLICT naming the field; the constraint decides, so races are covered too. */
export async function insertUser(tx: UsersExecutor, values: NewUserRow): Promise<UserRow> {
  try {
    const [row] = await tx.insert(users).values(values).returning();
    if (!row) throw new Error("insert returned no row");
    return row;
  } catch (error) {
    conflictOrRethrow(error);
  }
}

export async function updateUserColumns(tx: UsersExecutor, id: string, columns: UserColumns): Promise<UserRow> {
  try {
    const [row] = await tx.update(users).set(columns).where(eq(users.id, id)).returning();
    if (!row) throw new Error(`user ${id} vanished during update`);
    return row;
  } catch (error) {
    conflictOrRethrow(error);
  }
}

export async function setPasswordHash(tx: UsersExecutor, id: string, passwordHash: string): Promise<UserRow> {
  const [row] = await tx.update(users).set({ passwordHash }).where(eq(users.id, id)).returning();
  if (!row) throw new Error(`user ${id} vanished during password change`);
  return row;
}

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
const byFullName = keyset<UserRow>({
  column: users.fullName,
  kind: "text",
  tieBreaker: users.id,
  direction: "asc",
  cursorOf: (row) => ({ sort: row.fullName, id: row.id }),
});

export function listUsers(
  db: UsersDb,
  filter: UserListFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<UserRow>> {
  const conditions = filterConditions(filter);
  return byFullName.page(
    { size, after },
    {
      rows: (past, limit) =>
        db
          .select()
          .from(users)
          .where(and(...conditions, past))
          .orderBy(...byFullName.orderBy)
          .limit(limit),
      total: () =>
        db
          .select({ value: count() })
          .from(users)
          .where(and(...conditions))
          .then(countOf),
    },
  );
}
