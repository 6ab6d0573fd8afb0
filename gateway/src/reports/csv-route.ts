import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
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
import { csvRow, type CsvCell } from "./csv.js";

/** A query parameter refused: which, and why (answered 400 BAD_USER_INPUT INVALID_PARAMETER). */
export class BadParameter extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** One report served as CSV: what it takes from the query string, the query it runs, its rows. */
export interface CsvExport<TVariables extends Record<string, unknown>, TData> {
  /** Names it in the log line of each export. */
  readonly name: string;
  /** The query parameters it takes; any other is refused. */
  readonly params: ReadonlySet<string>;
  /** The operation's variables; throws BadParameter for a parameter it cannot use. */
  readonly variables: (params: URLSearchParams) => TVariables;
  readonly query: string;
  readonly header: (variables: TVariables) => readonly CsvCell[];
  readonly rows: (data: TData, variables: TVariables) => Iterable<readonly CsvCell[]>;
  readonly fileName: (variables: TVariables) => string;
  /** What the log line of an export says of its parameters (never a person's data). */
  readonly logged: (variables: TVariables) => Record<string, unknown>;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A required ISO-8601 date-time with a time zone, as the DateTime scalar takes it. */
export function dateTimeParam(params: URLSearchParams, field: string): string {
  const value = params.get(field) ?? "";
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new BadParameter(field, `${field} must be an ISO-8601 date-time with a time zone`);
  }
  return value;
}

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

/** The export's variables, or null once a 400 naming the parameter has been sent. */
function variablesOf<TVariables extends Record<string, unknown>>(
  report: CsvExport<TVariables, unknown>,
  req: IncomingMessage,
  res: ServerResponse,
): TVariables | null {
  const params = new URL(req.url ?? "/", "http://localhost").searchParams;
  try {
    for (const key of new Set(params.keys())) {
      if (!report.params.has(key)) throw new BadParameter(key, `Unknown parameter ${key.slice(0, 40)}`);
      if (params.getAll(key).length > 1) throw new BadParameter(key, `${key} is given more than once`);
    }
    return report.variables(params);
  } catch (error) {
    if (!(error instanceof BadParameter)) throw error;
    sendError(res, 400, ErrorCode.BAD_USER_INPUT, error.message, { reason: "INVALID_PARAMETER", field: error.field });
    return null;
  }
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

export interface CsvRouteHost {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly context: (req: IncomingMessage) => Promise<GatewayContext>;
  readonly logger: Logger;
  /**
   * The /graphql admission (address and user allowances, the operation's cost charged to the
   * user): plain routes bypass it, and an export is no cheaper than the query it runs. Null
   * where the gateway runs without admission (benchmarks).
   */
  readonly admission: HttpAdmission | null;
}

/**
 * GET <path>?…: the export's query run through the gateway's own Apollo Server with the
 * caller's bearer token, so the same sign-in, roles, limits and error masking apply as on
 * /graphql; answered as CSV (UTF-8, a header row, RFC 4180). Errors are the API's own, as
 * JSON with the matching HTTP status (401 without a token, 400 for a bad parameter, 403 for a
 * role the query refuses, 503 with Retry-After while a service behind the gateway is
 * unavailable); a partial answer (a subgraph failing midway) is never served as if it were whole.
 */
export function csvExportRoute<TVariables extends Record<string, unknown>, TData>(
  report: CsvExport<TVariables, TData>,
  { apollo, context, logger, admission }: CsvRouteHost,
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
    const variables = variablesOf(report as CsvExport<TVariables, unknown>, req, res);
    if (!variables) return;
    admission?.check({ query: report.query, variables }, req);
    const response = await apollo.executeOperation<TData>({ query: report.query, variables }, { contextValue });
    if (response.body.kind !== "single") throw new Error("incremental delivery is not used by this route");
    const { data, errors } = response.body.singleResult;
    if (errors?.length) return sendGraphQLErrors(res, errors);
    if (!data) throw new Error(`${report.name} answered with neither data nor errors`);
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${report.fileName(variables)}"`,
      "cache-control": "no-store",
    });
    // Written row by row, waiting for the socket to drain, so a slow reader holds no more than a chunk.
    for (const row of [report.header(variables), ...report.rows(data, variables)]) {
      if (!res.write(csvRow(row))) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
    logger.info(
      { report: report.name, ...report.logged(variables), viewer: contextValue.viewer?.id },
      `${report.name} exported as CSV`,
    );
  };
}
