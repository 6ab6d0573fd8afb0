import type { Viewer } from "@asky/contracts";
import { INTERNAL_TOKEN_TTL_SECONDS } from "./internal-token.js";

/** Everything an internal token says about the caller; one cached token per distinct value. */
export interface TokenSubject {
  readonly viewer: Viewer | null;
  readonly clientIp: string | null;
  readonly sessionId: string | null;
  /** VerifiedAccessToken.issuedAtMs of the caller's access token; null without a viewer. */
  readonly accessIssuedAtMs: number | null;
}

/**
 * Reuses a signed internal token for the same person and address for half its life:
 * a ward board polling every few seconds, or a service asking a sibling on every write,
 * should not cost an ECDSA signature per call.
 */
export class InternalTokenCache {
  private readonly entries = new Map<string, { token: Promise<string>; freshUntil: number }>();
  private readonly maxEntries = 10_000;

  constructor(private readonly sign: (subject: TokenSubject) => Promise<string>) {}

  get(subject: TokenSubject): Promise<string> {
    const { viewer, clientIp, sessionId, accessIssuedAtMs } = subject;
    const key = `${viewer?.id ?? "-"}|${viewer?.role ?? "-"}|${viewer?.ward ?? "-"}|${clientIp ?? "-"}|${sessionId ?? "-"}|${accessIssuedAtMs ?? "-"}`;
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.freshUntil > now) return cached.token;
    if (this.entries.size >= this.maxEntries) this.evictExpired(now);
    const token = this.sign(subject);
    this.entries.set(key, { token, freshUntil: now + (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2 });
    token.catch(() => this.entries.delete(key));
    return token;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.freshUntil <= now) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
  }
}
