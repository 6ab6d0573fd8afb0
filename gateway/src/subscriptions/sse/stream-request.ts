import type { IncomingMessage } from "node:http";
import type { GraphQLError } from "graphql";
import type { SubscribePayload } from "graphql-ws";
import { badRequest } from "./stream-refusals.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The body, at most `limit` bytes: a larger one is refused without reading the rest. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | GraphQLError> {
  const tooLarge = () => badRequest("MAX_BODY_BYTES", `Request body larger than ${limit} bytes`);
  if (Number(req.headers["content-length"] ?? 0) > limit) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > limit) return tooLarge();
      chunks.push(buffer);
    }
  } catch {
    // The client went away mid-body: nobody is left to read the answer, and nothing failed here.
    return badRequest("BODY_INCOMPLETE", "The request body ended early");
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A stream request's GraphQL parameters, the GraphQL-over-HTTP POST body (`query`,
 * `variables`, `operationName`, `extensions`), or why it cannot be one. The document itself
 * is admission's to parse and measure (admit-operation.ts), as for a WebSocket subscribe.
 */
export async function readStreamRequest(
  req: IncomingMessage,
  maxBodyBytes: number,
): Promise<SubscribePayload | GraphQLError> {
  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
    return badRequest("UNSUPPORTED_MEDIA_TYPE", "The body must be JSON (Content-Type: application/json)");
  }
  const raw = await readBody(req, maxBodyBytes);
  if (typeof raw !== "string") return raw;
  let body: unknown;
  try {
    body = JSON.parse(raw) as unknown;
  } catch {
    return badRequest("INVALID_JSON", "Request body is not valid JSON");
  }
  if (!isObject(body)) return badRequest("INVALID_REQUEST", "The body must be a JSON object");
  const { query, variables, operationName, extensions } = body;
  if (variables != null && !isObject(variables)) return badRequest("INVALID_REQUEST", "variables must be an object");
  if (extensions != null && !isObject(extensions)) return badRequest("INVALID_REQUEST", "extensions must be an object");
  if (operationName != null && typeof operationName !== "string") {
    return badRequest("INVALID_REQUEST", "operationName must be a string");
  }
  // A persisted document comes by hash alone: admission resolves it (trusted documents).
  const persisted = isObject(extensions) && isObject(extensions.persistedQuery);
  if (typeof query !== "string" && !(persisted && query == null)) {
    return badRequest("MISSING_QUERY", "The body has no query");
  }
  return {
    query: typeof query === "string" ? query : "",
    ...(variables != null ? { variables } : {}),
    ...(operationName != null ? { operationName } : {}),
    ...(extensions != null ? { extensions } : {}),
  };
}
