import type { DispenserResolvers } from "../generated/resolvers-types.js";

export const Dispenser: DispenserResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.dispenser.load(reference.id),
};
