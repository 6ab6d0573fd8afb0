import type { RevocableToken } from "../revocation.js";
import type { SessionStatus } from "../session-status.js";
import type { Logger } from "@asky/runtime";

/** The users service's answer, or that nobody gave one. */
export type SessionCheck = SessionStatus | { readonly status: "unverifiable"; readonly cause: string };

/**
 * Whether an access token may still act, asked of whoever decides from the users database:
 * the users service over HTTP (usersServiceSessions), or the users service itself. Throws, or
 * rejects, when it cannot tell.
 */
export type SessionStatusSource = (token: RevocableToken) => Promise<SessionStatus>;

export interface SessionChecksOptions {
  cacheMs: number;
  /** Past this the token counts as unverifiable, whatever the source is still doing. */
  timeoutMs: number;
  /** Called once per question actually asked (not for cached or shared answers). */
  onChecked?: (check: SessionCheck) => void;
  logger: Logger;
}

const maxEntries = 10_000;

/**
 * The fallback while a revocation feed is not proven current: one question per token at a
 * time (concurrent requests of a session share it), each answer reused for `cacheMs`, so a
 * busy ward screen costs the users service about two questions a second, and only while the
 * feed is stale.
 */
export class SessionChecks {
  private readonly answers = new Map<string, { check: SessionCheck; until: number }>();
  private readonly inFlight = new Map<string, Promise<SessionCheck>>();

  constructor(
    private readonly source: SessionStatusSource,
    private readonly options: SessionChecksOptions,
  ) {}

  check(token: RevocableToken): Promise<SessionCheck> {
    const key = `${token.viewer.id}|${token.sessionId ?? "-"}|${token.issuedAtMs}`;
    const now = Date.now();
    const cached = this.answers.get(key);
    if (cached && cached.until > now) return Promise.resolve(cached.check);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asked = this.ask(token).then((check) => {
      this.remember(key, check);
      this.inFlight.delete(key);
      this.options.onChecked?.(check);
      return check;
    });
    this.inFlight.set(key, asked);
    return asked;
  }

  private async ask(token: RevocableToken): Promise<SessionCheck> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.source(token), timeout]);
    } catch (error) {
      this.options.logger.warn({ err: error }, "users service did not vouch for a session");
      return { status: "unverifiable", cause: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(key: string, check: SessionCheck): void {
    if (this.options.cacheMs === 0) return;
    const now = Date.now();
    if (this.answers.size >= maxEntries) {
      for (const [entry, answer] of this.answers) if (answer.until <= now) this.answers.delete(entry);
      while (this.answers.size >= maxEntries) this.answers.delete(this.answers.keys().next().value!);
    }
    this.answers.set(key, { check, until: now + this.options.cacheMs });
  }
}
