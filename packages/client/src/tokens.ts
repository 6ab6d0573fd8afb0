/**
 * The session the client keeps: the token pair and who signed in. Storage is synchronous
 * and re-read at every use, so tabs sharing localStorage see each other's refreshes.
 */
import type { Role } from "./gql/graphql.js";

export interface Viewer {
  id: string;
  role: Role;
  ward: string | null;
  fullName: string;
  nickname: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** ISO-8601: when the access token stops working (the client refreshes shortly before). */
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string;
  viewer: Viewer;
}

export interface TokenStorage {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

/** The default: tokens live as long as the client object (one tab, one app process). */
export function memoryTokens(initial: Tokens | null = null): TokenStorage {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => void (tokens = next),
  };
}

/** What `localStorageTokens` needs of the Web Storage API (also satisfied by a test double). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Browsers: tokens in localStorage under `key`, shared by every tab of the origin. */
export function localStorageTokens(key = "asky.session", storage?: StorageLike): TokenStorage {
  const store = (): StorageLike => {
    const found = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!found) throw new Error("localStorageTokens: no localStorage here; pass a storage");
    return found;
  };
  return {
    get() {
      const text = store().getItem(key);
      if (text === null) return null;
      try {
        const parsed: unknown = JSON.parse(text);
        return isTokens(parsed) ? parsed : null;
      } catch {
        // Another program wrote the key: treat the session as absent rather than fail every call.
        return null;
      }
    },
    set(tokens) {
      if (tokens === null) store().removeItem(key);
      else store().setItem(key, JSON.stringify(tokens));
    },
  };
}

function isTokens(value: unknown): value is Tokens {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  const viewer = record.viewer as Record<string, unknown> | null | undefined;
  return (
    typeof record.accessToken === "string" &&
    typeof record.refreshToken === "string" &&
    typeof record.accessTokenExpiresAt === "string" &&
    typeof viewer === "object" &&
    viewer !== null &&
    typeof viewer.id === "string" &&
    typeof viewer.role === "string"
  );
}
