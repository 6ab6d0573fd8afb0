import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes: guessing one is out of reach, and base64url survives any transport. */
export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Only this hash is stored, so a database dump or backup holds no usable session. A plain
 * SHA-256 suffices (unlike passwords) because the token has 256 bits of entropy.
 */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Anything longer than a real token is not one; refuse it before hashing megabytes. */
export const isPlausibleRefreshToken = (token: string): boolean => token.length >= 32 && token.length <= 128;

export function refreshTokenExpiry(ttlDays: number, now = new Date()): Date {
  return new Date(now.getTime() + ttlDays * 24 * 60 * 60 * 1000);
}
