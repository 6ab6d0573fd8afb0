/**
 * witnessUsesTable + recordWitnessUse on a real Postgres: the DDL drizzle-kit generates for
 * the factory (what a service's migration will hold), a first use recorded, a second refused
 * as CONFLICT, and two concurrent uses of one token: exactly one commits.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/node-postgres";
import { pgSchema } from "drizzle-orm/pg-core";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { recordWitnessUse, type WitnessUse } from "../src/record-witness-use.js";
import { witnessUsesTable } from "../src/schema/witness-uses.js";

const name = `wu_${randomBytes(4).toString("hex")}`;
const schema = pgSchema(name);
const witnessUses = witnessUsesTable(schema);
let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 4 });
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ schema, witnessUses }));
  for (const statement of statements) await pool.query(statement);
});

afterAll(async () => {
  await pool.query(`drop schema if exists ${name} cascade`);
  await pool.end();
});

const use = (): WitnessUse => ({
  jti: randomUUID(),
  step: "DISPATCH",
  witnessId: randomUUID(),
  actorId: randomUUID(),
  expiresAt: new Date(Date.now() + 120_000),
});

/** The contract error's code, reason and message (a GraphQLError from @asky/runtime's errors). */
function conflictOf(error: unknown): unknown[] {
  const { message, extensions } = error as { message?: string; extensions?: Record<string, unknown> };
  return [extensions?.code, extensions?.reason, message];
}

describe("witness uses", () => {
  it("record a token once and refuse it the second time as CONFLICT", async () => {
    const db = drizzle(pool);
    const first = use();
    await db.transaction((tx) => recordWitnessUse(tx, witnessUses, first));
    const again = await db.transaction((tx) => recordWitnessUse(tx, witnessUses, first)).catch(conflictOf);
    expect(again).toEqual(["CONFLICT", "WITNESS_TOKEN_USED", "Witness token already used"]);
    const rows = await db.select().from(witnessUses);
    expect(rows.filter((row) => row.jti === first.jti)).toHaveLength(1);
  });

  it("let one of two concurrent uses commit, and a rolled-back use leave the token usable", async () => {
    const db = drizzle(pool);
    const shared = use();
    const attempts = await Promise.allSettled(
      [0, 1].map(() =>
        db.transaction(async (tx) => {
          await recordWitnessUse(tx, witnessUses, shared);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }),
      ),
    );
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual(["fulfilled", "rejected"]);

    const undone = use();
    const rolledBack = await db
      .transaction(async (tx) => {
        await recordWitnessUse(tx, witnessUses, undone);
        throw new Error("the witnessed change failed");
      })
      .catch((error: unknown) => (error as Error).message);
    expect(rolledBack).toBe("the witnessed change failed");
    await db.transaction((tx) => recordWitnessUse(tx, witnessUses, undone));
  });

  it("refuse a use whose witness is the actor", async () => {
    const db = drizzle(pool);
    const person = randomUUID();
    const self = { ...use(), witnessId: person, actorId: person };
    await expect(db.transaction((tx) => recordWitnessUse(tx, witnessUses, self))).rejects.toThrow();
  });
});
