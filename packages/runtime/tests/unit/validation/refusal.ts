import { GraphQLError } from "graphql";

/** The extensions of the GraphQLError `fn` throws; a string saying what happened otherwise. */
export function refusal(fn: () => unknown): Record<string, unknown> | string {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions : "not a GraphQLError";
  }
  return "no error";
}
