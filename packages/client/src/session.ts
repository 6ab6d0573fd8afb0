/**
 * The signed-in session: hands out a usable access token, refreshing it shortly before it
 * expires or after the server refused it, one refresh at a time. Refresh tokens rotate and a
 * spent one presented again revokes the whole session, so every caller that meets the same
 * stale token shares one refresh (in this realm: one promise; across tabs: the RefreshLock),
 * and whoever takes the lock first re-reads the stored tokens: when another tab has refreshed
 * meanwhile, its tokens are used and nothing is sent.
 */
import { refreshLeadMs } from "./access-token-expiry.js";
import { AskyClientError } from "./errors.js";
import type { RefreshLock } from "./refresh-lock.js";
import type { Tokens, TokenStorage } from "./tokens.js";

export interface SessionOptions {
  storage: TokenStorage;
  lock: RefreshLock;
  /** The lock's name: one per API, so two clients of the same API in two tabs exclude each other. */
  lockName: string;
  /** Refresh this long before the access token expires, at most a quarter of its lifetime (refreshLeadMs). */
  refreshBeforeExpiryMs: number;
  now: () => number;
  /** The refreshToken mutation: new tokens, or AskyClientError UNAUTHENTICATED when refused. */
  exchange: (refreshToken: string) => Promise<Tokens>;
}

export type SessionEndListener = (error: AskyClientError) => void;

export class Session {
  private flight: Promise<Tokens> | null = null;
  private readonly endListeners = new Set<SessionEndListener>();

  constructor(private readonly options: SessionOptions) {}

  tokens(): Tokens | null {
    return this.options.storage.get();
  }

  store(tokens: Tokens | null): void {
    this.options.storage.set(tokens);
  }

  /** The access token to send now (null when signed out), refreshed first when it expires soon. */
  async accessToken(): Promise<string | null> {
    const tokens = this.tokens();
    if (!tokens) return null;
    if (!this.expiresSoon(tokens)) return tokens.accessToken;
    return (await this.refresh(tokens.accessToken)).accessToken;
  }

  /**
   * Fresh tokens after `stale` was found expired or refused. Concurrent callers share one
   * flight; a caller whose stale token was already replaced gets the stored tokens.
   */
  refresh(stale: string): Promise<Tokens> {
    this.flight ??= this.options.lock
      .run(this.options.lockName, () => this.refreshHoldingLock(stale))
      .finally(() => {
        this.flight = null;
      });
    return this.flight;
  }

  onEnd(listener: SessionEndListener): () => void {
    this.endListeners.add(listener);
    return () => void this.endListeners.delete(listener);
  }

  private expiresSoon(tokens: Tokens): boolean {
    const expiry = Date.parse(tokens.accessTokenExpiresAt);
    const lead = refreshLeadMs(tokens.accessToken, this.options.refreshBeforeExpiryMs);
    return Number.isNaN(expiry) || expiry - this.options.now() <= lead;
  }

  private async refreshHoldingLock(stale: string): Promise<Tokens> {
    // Read again under the lock: another tab may have refreshed while this one waited.
    const current = this.tokens();
    if (!current) throw new AskyClientError("UNAUTHENTICATED", "Not signed in", { reason: "SIGNED_OUT" });
    if (current.accessToken !== stale && !this.expiresSoon(current)) return current;
    try {
      const next = await this.options.exchange(current.refreshToken);
      const now = this.tokens();
      // Signed out (or in again) while the exchange ran: the user's choice stands.
      if (now?.refreshToken !== current.refreshToken) {
        if (now) return now;
        throw new AskyClientError("UNAUTHENTICATED", "Signed out", { reason: "SIGNED_OUT" });
      }
      this.store(next);
      return next;
    } catch (error) {
      if (error instanceof AskyClientError && error.code === "UNAUTHENTICATED") {
        // Refused: revoked, reused elsewhere or expired. Forget it unless a sign-in replaced it meanwhile.
        if (this.tokens()?.refreshToken === current.refreshToken) this.store(null);
        for (const listener of [...this.endListeners]) listener(error);
      }
      // Anything else (the network): keep the tokens, the next call tries again.
      throw error;
    }
  }
}
