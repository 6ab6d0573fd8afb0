import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

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
