import { randomBytes } from "node:crypto";
import { hash, verify, type Algorithm, type Options } from "@node-rs/argon2";

/**
 * argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane). `Algorithm` is an ambient
 * const enum, which isolatedModules cannot read, hence the literal (2 = Argon2id).
 */
const options: Options = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/**
 * A hash of a random secret with the same parameters, verified when an email does not
 * exist, so that a sign-in for an unknown account costs as long as one for a real account.
 * Started at import so the first unknown-email sign-in is not the slow one.
 */
const dummyHash = hash(randomBytes(32).toString("base64url"), options);

/**
 * True only when `storedHash` exists and matches. The comparison inside argon2 is constant
 * time; a malformed stored hash counts as a mismatch rather than an error.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  const target = storedHash ?? (await dummyHash);
  const matches = await verify(target, password).catch(() => false);
  return storedHash !== null && matches;
}
