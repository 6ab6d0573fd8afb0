import { GraphQLError, GraphQLScalarType, Kind, print } from "graphql";
import { calendarDateOf } from "./validation/dates.js";

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value === "string" && isoDateTime.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new GraphQLError("DateTime must be an ISO-8601 string with a time zone", {
    extensions: { code: "BAD_USER_INPUT" },
  });
}

/** `DateTime` of the contract: ISO-8601 in UTC on the way out, validated on the way in. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO-8601 date-time string, always in UTC.",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError("Invalid DateTime value");
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("DateTime must be a string", { extensions: { code: "BAD_USER_INPUT" } });
    }
    return parseDateTime(ast.value);
  },
});

const normalizeDate = (value: string): string => calendarDateOf(value) ?? value;

/**
 * `Date` of the contract: a calendar day, YYYY-MM-DD (a lot's expiry, the day on the box; not an
 * instant, so no time zone games). The dispensers and requests subgraphs both declare it, and the
 * supergraph holds one Date, so both serve it from here.
 *
 * Parsing is lenient on purpose: a value that is not a date passes through unchanged and the
 * input validation refuses it with BAD_USER_INPUT naming the field. A scalar that throws makes
 * the subgraph answer HTTP 400 to the gateway, which reports that as an internal error.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar date, YYYY-MM-DD.",
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : normalizeDate(String(value))),
  parseValue: (value) => normalizeDate(typeof value === "string" ? value : JSON.stringify(value)),
  parseLiteral: (ast) => normalizeDate(ast.kind === Kind.STRING ? ast.value : print(ast)),
});
