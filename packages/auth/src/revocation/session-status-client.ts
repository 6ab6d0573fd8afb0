import { InternalTokenCache } from "../internal-token-cache.js";
import { signInternalToken } from "../internal-token.js";
import { parseSessionStatus, SESSION_STATUS_PATH, type SessionStatus } from "../session-status.js";
import type { SigningKey } from "../signing-keys.js";
import { createHttpClient, currentRequestId } from "@asky/runtime";
import type { SessionStatusSource } from "./session-checks.js";

export interface UsersServiceSessionsOptions {
  /** The users subgraph's URL; the question goes to SESSION_STATUS_PATH on the same host. */
  usersUrl: string;
  /** Who asks (`gateway`, `dispensers`, …): the issuer of the internal token the users service checks. */
  caller: string;
  key: SigningKey;
  timeoutMs: number;
}

/**
 * Asks the users service, over its internal endpoint, whether an access token may still act.
 * A status other than 200, or an answer it cannot read, is "cannot tell": it throws.
 */
export function usersServiceSessions(options: UsersServiceSessionsOptions): {
  source: SessionStatusSource;
  close(): void;
} {
  const url = new URL(SESSION_STATUS_PATH, options.usersUrl).toString();
  const http = createHttpClient({ maxSockets: 32 });
  const tokens = new InternalTokenCache((subject) =>
    signInternalToken(options.key, { issuer: options.caller, audience: "users", ...subject }),
  );
  const asService = { viewer: null, clientIp: null, sessionId: null, accessIssuedAtMs: null };

  async function source(token: Parameters<SessionStatusSource>[0]): Promise<SessionStatus> {
    const internal = await tokens.get(asService);
    const response = await http.request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${internal}`,
        "x-request-id": currentRequestId(),
      },
      body: JSON.stringify({ userId: token.viewer.id, sessionId: token.sessionId, issuedAtMs: token.issuedAtMs }),
      timeoutMs: options.timeoutMs,
    });
    if (response.status !== 200) throw new Error(`users service answered ${response.status}`);
    const status = parseSessionStatus(JSON.parse(response.body.toString("utf8")));
    if (status === null) throw new Error("unreadable answer from the users service");
    return status;
  }

  return { source, close: () => http.close() };
}
