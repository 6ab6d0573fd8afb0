import { GraphQLScalarType, Kind, print } from "graphql";
import { calendarDateOf } from "@asky/runtime";

/**
 * Lot expiry dates, as the dispensers subgraph's Date scalar has them (the supergraph holds
 * one Date): a day on the box, not an instant.
 *
 * Parsing is lenient on purpose: a value that is not a date passes through unchanged and the
 * input validation refuses it with BAD_USER_INPUT naming the field. A scalar that throws
 * makes the subgraph answer HTTP 400 to the gateway, which reports that as an internal error.
 */
const normalize = (value: string): string => calendarDateOf(value) ?? value;

export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar date, YYYY-MM-DD.",
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : normalize(String(value))),
  parseValue: (value) => normalize(typeof value === "string" ? value : JSON.stringify(value)),
  parseLiteral: (ast) => normalize(ast.kind === Kind.STRING ? ast.value : print(ast)),
});
