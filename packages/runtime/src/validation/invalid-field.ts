import type { GraphQLError } from "graphql";
import { errors } from "../errors.js";

/**
 * Where a refused value came from: a top-level argument (`extensions.argument`), or a field
 * of an input object (`extensions.field`), so that a client can put the message next to the
 * right form control.
 */
export type InputName = { readonly argument: string } | { readonly field: string };

export const inputNameOf = (name: InputName): string => ("argument" in name ? name.argument : name.field);

/** The one shape of a refused input: BAD_USER_INPUT naming the argument or field. */
export function invalidInput(name: InputName, message: string): GraphQLError {
  return errors.badUserInput(message, "argument" in name ? { argument: name.argument } : { field: name.field });
}

/** `invalidInput` for a field of an input object, which is what most validation reports. */
export function invalidField(field: string, message: string): GraphQLError {
  return invalidInput({ field }, message);
}
