import { errors } from "@asky/common";
import type { GraphQLError } from "graphql";

/**
 * The one way validation reports a problem: BAD_USER_INPUT naming the input field, so a
 * client can put the message next to the right form control.
 */
export function invalidField(field: string, message: string): GraphQLError {
  return errors.badUserInput(message, { field });
}
