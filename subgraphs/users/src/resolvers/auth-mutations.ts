import { errors } from "@asky/runtime";
import type { MutationResolvers } from "../generated/resolvers-types.js";
import { login } from "../services/login.js";
import { changeOwnPassword } from "../services/password-change.js";
import { endSession, refreshSession } from "../services/sessions.js";

/** Signing in and out, session renewal and one's own password. */
export const authMutations = {
  login: (_parent, { email, password }, context) => login(context, email, password),
  refreshToken: (_parent, { refreshToken }, context) => refreshSession(context, refreshToken),
  logout: (_parent, { refreshToken }, context) => endSession(context, refreshToken),
  changePassword: (_parent, { currentPassword, newPassword, refreshToken }, context) => {
    if (!context.viewer) throw errors.unauthenticated();
    return changeOwnPassword(context, context.viewer, currentPassword, newPassword, refreshToken);
  },
} satisfies MutationResolvers;
