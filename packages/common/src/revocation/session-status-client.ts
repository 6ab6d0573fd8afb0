import {
  createHttpClient,
  currentRequestId,
  InternalTokenCache,
  parseSessionStatus,
  SESSION_STATUS_PATH,
  signInternalToken,
  type Logger,
  type SessionStatus,
  type SigningKey,
  type VerifiedAccessToken,
} from "@asky/common";

/** The users service's answer, or that it gave none. */
export type SessionCheck = SessionStatus | { readonly status: "unverifiable"; readonly cause: string };

export interface SessionStatusClientOptions {
  /** The users subgraph's URL; the question goes to SESSION_STATUS_PATH on the same host. */
  usersUrl: string;
  key: SigningKey;
  cacheMs: number;
  timeoutMs: number;
  /** Called once per question actually sent (not for cached or shared answers). */
  onChecked: (check: SessionCheck) => void;
  logger: Logger;
}

const maxEntries = 10_000;

/**
 * Asks the users service whether an access token may still act: the gateway's fallback while
 * its revocation feed is not proven current. One question per token at a time (concurrent
 * requests of a session share it) and each answer reused for `cacheMs`, so a busy ward screen
 * costs the users service about two questions a second, and only while the feed is stale.
 */
export class SessionStatusClient {
  private readonly url: string;
  private readonly http = createHttpClient({ maxSockets: 32 });
  private readonly tokens: InternalTokenCache;
  private readonly answers = new Map<string, { check: SessionCheck; until: number }>();
  private readonly inFlight = new Map<string, Promise<SessionCheck>>();

  constructor(private readonly options: SessionStatusClientOptions) {
    this.url = new URL(SESSION_STATUS_PATH, options.usersUrl).toString();
    this.tokens = new InternalTokenCache((subject) => signInternalToken(options.key, { issuer: "gateway", audience: "users", ...subject }));
  }

  check(token: VerifiedAccessToken): Promise<SessionCheck> {
    const key = `${token.viewer.id}|${token.sessionId ?? "-"}|${token.issuedAtMs}`;
    const now = Date.now();
    const cached = this.answers.get(key);
    if (cached && cached.until > now) return Promise.resolve(cached.check);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asked = this.ask(token).then((check) => {
      this.remember(key, check);
      this.inFlight.delete(key);
      this.options.onChecked(check);
      return check;
    });
    this.inFlight.set(key, asked);
    return asked;
  }

  private async ask(token: VerifiedAccessToken): Promise<SessionCheck> {
    try {
      const internal = await this.tokens.get({ viewer: null, clientIp: null, sessionId: null });
      const response = await this.http.request(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${internal}`, "x-request-id": currentRequestId() },
        body: JSON.stringify({ userId: token.viewer.id, sessionId: token.sessionId, issuedAtMs: token.issuedAtMs }),
        timeoutMs: this.options.timeoutMs,
      });
      if (response.status !== 200) return { status: "unverifiable", cause: `users service answered ${response.status}` };
      const status = parseSessionStatus(JSON.parse(response.body.toString("utf8")));
      return status ?? { status: "unverifiable", cause: "unreadable answer" };
    } catch (error) {
      this.options.logger.warn({ err: error }, "users service did not vouch for a session");
      return { status: "unverifiable", cause: error instanceof Error ? error.message : String(error) };
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

  close(): void {
    this.http.close();
  }
}
