import { SYSTEM_USER_ID } from "@asky/contracts";
import { hash, type Algorithm, type Options } from "@node-rs/argon2";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { auditLog, users } from "../schema/users.js";
import { DEMO_PASSWORD, people } from "./people.js";

/**
 * `Algorithm` is an ambient `const enum` (not usable under `isolatedModules`): 2 = Argon2id.
 * Parameters are the library defaults (OWASP: m=19 MiB, t=2, p=1), spelled out.
 */
export const ARGON2ID_OPTIONS: Options = {
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

type Db = NodePgDatabase<Record<string, never>>;

/** Demo staff (five documented logins + more nurses and pharmacy staff). */
export async function seedUsers(tx: Db): Promise<boolean> {
  // The built-in system account comes from a migration; it does not count as seeded data.
  const existing = await tx.execute(
    sql`SELECT EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} <> ${SYSTEM_USER_ID}) AS "exists"`,
  );
  if (existing.rows[0]?.exists) return false;

  const rows = await Promise.all(
    people.map(async (p) => ({
      id: p.id,
      nickname: p.nickname,
      fullName: p.fullName,
      email: p.email,
      phone: p.phone,
      cpf: p.cpf,
      role: p.role,
      ward: p.ward,
      active: true,
      passwordHash: await hash(DEMO_PASSWORD, ARGON2ID_OPTIONS),
    })),
  );
  await tx.insert(users).values(rows);
  await tx.insert(auditLog).values(
    rows.map((r) => ({
      actorId: null,
      action: "user.create",
      targetId: r.id,
      detail: { source: "seed", role: r.role },
    })),
  );
  return true;
}
