import { AskyClientError } from "@asky/client";
import { errorMessage } from "./labels.js";

/** The pt-BR line for anything a call threw: a coded refusal, or no answer at all. */
export function messageFor(error: unknown): string {
  return errorMessage(error instanceof AskyClientError ? error.code : undefined);
}
