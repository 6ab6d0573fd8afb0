import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { controlLists, isUuid } from "@asky/contracts";
import {
  ErrorCode,
  SESSION_UNVERIFIABLE,
  sendJson,
  type HttpAdmission,
  type Logger,
  type RouteHandler,
} from "@asky/runtime";
import type { GatewayContext } from "../context.js";
import { SUBGRAPH_UNAVAILABLE } from "../subgraph-unavailable.js";
import { CONTROLLED_BOOK_QUERY, CSV_HEADER, bookRows, type BookData } from "./controlled-book-query.js";
import { csvRow } from "./csv.js";

export const CONTROLLED_BOOK_CSV_PATH = "/reports/controlled-book.csv";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const PARAMS = new Set(["list", "itemId", "from", "to"]);

/** HTTP status of a GraphQL error code; anything unexpected is the server's fault. */
const statusOf: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
};

function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  details: Record<string, string> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...details } }] });
}

const badParam = (res: ServerResponse, field: string, message: string) =>
  sendError(res, 400, ErrorCode.BAD_USER_INPUT, message, { reason: "INVALID_PARAMETER", field });

type Variables = { list: string; itemId: string | null; from: string; to: string };

/** The query string's variables, or null once a 400 naming the parameter has been sent. */
function variablesOf(req: IncomingMessage, res: ServerResponse): Variables | null {
  const params = new URL(req.url ?? "/", "http://localhost").searchParams;
  for (const key of new Set(params.keys())) {
    if (!PARAMS.has(key)) return (badParam(res, key, `Unknown parameter ${key.slice(0, 40)}`), null);
    if (params.getAll(key).length > 1) return (badParam(res, key, `${key} is given more than once`), null);
  }
  const list = params.get("list") ?? "";
  if (!(controlLists as readonly string[]).includes(list)) {
    return (badParam(res, "list", `list must be one of ${controlLists.join(", ")}`), null);
  }
  const itemId = params.get("itemId");
  if (itemId !== null && !isUuid(itemId)) return (badParam(res, "itemId", "itemId must be a UUID"), null);
  for (const field of ["from", "to"] as const) {
    const value = params.get(field) ?? "";
    if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      return (badParam(res, field, `${field} must be an ISO-8601 date-time with a time zone`), null);
    }
  }
  return { list, itemId, from: params.get("from")!, to: params.get("to")! };
}

/** The caller's context, as for POST /graphql; null once a 401 (or 503) for its token has been sent. */
async function contextOf(
  req: IncomingMessage,
  res: ServerResponse,
  context: (req: IncomingMessage) => Promise<GatewayContext>,
): Promise<GatewayContext | null> {
  try {
    return await context(req);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const http = error.extensions.http as { status?: number } | undefined;
    const code = String(error.extensions.code ?? ErrorCode.UNAUTHENTICATED) as ErrorCode;
    const { http: _http, ...extensions } = error.extensions;
    sendJson(res, http?.status ?? 401, { errors: [{ message: error.message, extensions: { ...extensions, code } }] });
    return null;
  }
}

/** Answers a moment's unavailability (a subgraph down, the session not checkable) a client retries. */
const retryLater: ReadonlySet<unknown> = new Set([SUBGRAPH_UNAVAILABLE, SESSION_UNVERIFIABLE]);

function sendGraphQLErrors(res: ServerResponse, errors: readonly GraphQLFormattedError[]): void {
  const code = String(errors[0]?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
  const unavailable = errors.some((error) => retryLater.has(error.extensions?.reason));
  // Path and locations point into the route's own query, which the caller never wrote.
  sendJson(
    res,
    unavailable ? 503 : (statusOf[code] ?? 500),
    { errors: errors.map((error) => ({ message: error.message, extensions: error.extensions ?? {} })) },
    unavailable ? { "retry-after": "1" } : {},
  );
}

/**
 * GET /reports/controlled-book.csv?list=A1&from=…&to=…[&itemId=…]: the controlledBook query
 * run through the gateway's own Apollo Server with the caller's bearer token, so the same
 * sign-in, roles (pharmacists and administrators), limits and error masking apply as on
 * /graphql; answered as CSV. Errors are the API's own, as JSON with the matching HTTP status
 * (401 without a token, 400 for a bad parameter, 403 for a nurse, 503 with Retry-After while a
 * service behind the gateway is unavailable); a partial book (a subgraph failing midway) is
 * never served as if it were whole.
 */
export function controlledBookCsvRoute(
  apollo: ApolloServer<GatewayContext>,
  context: (req: IncomingMessage) => Promise<GatewayContext>,
  logger: Logger,
  /**
   * The /graphql admission (address and user allowances, the operation's cost charged to the
   * user): plain routes bypass it, and an export is no cheaper than the query it runs. Null
   * where the gateway runs without admission (benchmarks).
   */
  admission: HttpAdmission | null,
): RouteHandler {
  return async (req, res) => {
    if (req.method !== "GET") {
      res.setHeader("allow", "GET");
      return sendError(res, 405, ErrorCode.BAD_USER_INPUT, "Only GET is served here", { reason: "METHOD_NOT_ALLOWED" });
    }
    if (req.headers.authorization === undefined) {
      res.setHeader("www-authenticate", "Bearer");
      return sendError(res, 401, ErrorCode.UNAUTHENTICATED, "Authentication required");
    }
    // Refusals (429 over an allowance, 401 for a bad token) are RefusedRequests the host answers as JSON.
    await admission?.beforeBody(req);
    const contextValue = await contextOf(req, res, context);
    if (!contextValue) return;
    const variables = variablesOf(req, res);
    if (!variables) return;
    admission?.check({ query: CONTROLLED_BOOK_QUERY, variables }, req);
    const response = await apollo.executeOperation<BookData>(
      { query: CONTROLLED_BOOK_QUERY, variables: { ...variables } },
      { contextValue },
    );
    if (response.body.kind !== "single") throw new Error("incremental delivery is not used by this route");
    const { data, errors } = response.body.singleResult;
    if (errors?.length) return sendGraphQLErrors(res, errors);
    if (!data) throw new Error("controlled book answered with neither data nor errors");
    const name = `controlled-book-${variables.list}-${variables.from.slice(0, 10)}-${variables.to.slice(0, 10)}.csv`;
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    });
    // Written row by row, waiting for the socket to drain, so a slow reader holds no more than a chunk.
    for (const row of [CSV_HEADER, ...bookRows(data)]) {
      if (!res.write(csvRow(row))) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
    logger.info({ list: variables.list, viewer: contextValue.viewer?.id }, "controlled book exported as CSV");
  };
}
