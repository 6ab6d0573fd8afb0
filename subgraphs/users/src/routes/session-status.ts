import type { IncomingMessage } from "node:http";
import { currentRequestId, sendJson, type Logger, type RouteHandler } from "@asky/runtime";
import { parseBearer, parseSessionStatusQuery, type InternalIdentity } from "@asky/auth";
import type { UsersExecutor } from "../data/db.js";
import { sessionStatus } from "../services/session-status.js";

/** A query is three ids and a number. */
const maxBodyBytes = 1_024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

/**
 * POST /internal/session-status (SESSION_STATUS_PATH): a gateway or subgraph asks whether an
 * access token may still act. Only an internal token of those services opens it (`verify`
 * trusts no one else); an unanswerable question is a 5xx, which the asker reads as "cannot
 * tell" and refuses the token.
 */
export function sessionStatusRoute(
  db: UsersExecutor,
  verify: (token: string) => Promise<InternalIdentity>,
  logger: Logger,
): RouteHandler {
  return async (req, res) => {
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "method not allowed" }, { allow: "POST" });
      return;
    }
    const token = parseBearer(req.headers.authorization);
    const caller = token === null ? null : await verify(token).catch(() => null);
    if (caller === null) {
      logger.warn({ correlationId: currentRequestId() }, "session status asked without a trusted internal token");
      sendJson(res, 401, { error: "unauthorized" });
      return;
    }
    const query = parseSessionStatusQuery(await readJson(req));
    if (!query) {
      sendJson(res, 400, { error: "expected { userId, sessionId, issuedAtMs }" });
      return;
    }
    try {
      sendJson(res, 200, await sessionStatus(db, query, logger), { "cache-control": "no-store" });
    } catch (error) {
      logger.warn({ err: error, correlationId: currentRequestId() }, "session status unavailable");
      sendJson(res, 503, { error: "unavailable" }, { "cache-control": "no-store" });
    }
  };
}
