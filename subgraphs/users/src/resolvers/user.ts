import type { UserResolvers } from "../generated/resolvers-types.js";
import { maySeePersonalData } from "../access.js";

export const User: UserResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.user.load(reference.id),
  // CPF is personal data (LGPD): only its owner and administrators may read it.
  cpf: (user, _args, { viewer }) => (maySeePersonalData(viewer, user.id) ? user.cpf : null),
};
