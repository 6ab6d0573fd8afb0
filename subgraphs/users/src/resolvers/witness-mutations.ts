import { errors } from "@asky/runtime";
import type { MutationResolvers } from "../generated/resolvers-types.js";
import { issueWitnessToken } from "../services/witness.js";
import { validateWitnessInput } from "../validation/witness-input.js";

/** A second person's confirmation of a controlled substance's move, for the signed-in actor. */
export const witnessMutations = {
  issueWitnessToken: (_parent, { input }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return issueWitnessToken(context, context.viewer, validateWitnessInput(input));
  },
} satisfies MutationResolvers;
