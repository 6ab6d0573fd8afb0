import { allow, guardResolvers } from "@asky/auth";
import { errors } from "@asky/runtime";
import { SYSTEM_USER_ID, type Viewer } from "@asky/contracts";
import type { Resolvers, UpdateUserInput } from "./generated/resolvers-types.js";

/**
 * Who may call each root field of the users subgraph. Every field must appear here: the
 * table's type is derived from the schema, so a new field without a rule fails to compile.
 * The one rule that depends on the arguments (who may change which fields of whom) is
 * `authorizeUserUpdate` below, in this module so the whole policy reads in one place.
 */
export function withAccessRules(resolvers: Resolvers): Resolvers {
  return guardResolvers(resolvers, {
    Query: {
      me: allow.signedIn,
      // Colleagues' names and roles are needed everywhere (who asked, who delivered);
      // the CPF is hidden by the User.cpf resolver.
      user: allow.signedIn,
      users: allow.roles("ADMIN"),
      auditLog: allow.roles("ADMIN"),
    },
    Mutation: {
      // Reached without an access token (the gateway lets only these through anonymously).
      login: allow.anyone,
      refreshToken: allow.anyone,
      logout: allow.anyone,
      createUser: allow.roles("ADMIN"),
      deleteUser: allow.roles("ADMIN"),
      // Own password only, and the current one is required (checked by the mutation).
      changePassword: allow.signedIn,
      // Then `authorizeUserUpdate`: self for profile fields, ADMIN for the rest.
      updateUser: allow.signedIn,
      // The actor is whoever is signed in; the witness is checked by their own credentials and
      // role (services/witness.ts), and the service consuming the token checks the actor's.
      issueWitnessToken: allow.signedIn,
    },
  });
}

/** What anyone may change about themselves: contact details and how they are called. */
const selfServiceFields: ReadonlySet<keyof UpdateUserInput> = new Set(["nickname", "fullName", "phone", "email"]);

/**
 * Fields whose change by an administrator on their own account is refused: an admin who
 * demotes or deactivates themself by mistake may leave the hospital without one, and a
 * password change without the current password would bypass `changePassword`.
 */
const notOnSelf: ReadonlySet<keyof UpdateUserInput> = new Set(["role", "active", "password"]);

function sentFields(input: UpdateUserInput): (keyof UpdateUserInput)[] {
  return (Object.keys(input) as (keyof UpdateUserInput)[]).filter((field) => input[field] !== undefined);
}

/** The built-in account Asky acts as is part of the system, not a person to administer. */
export function refuseSystemAccount(targetId: string): void {
  if (targetId === SYSTEM_USER_ID) throw errors.forbidden("The built-in system account cannot be changed");
}

/** Throws FORBIDDEN unless `viewer` may apply `input` to user `targetId`. */
export function authorizeUserUpdate(viewer: Viewer, targetId: string, input: UpdateUserInput): void {
  refuseSystemAccount(targetId);
  const fields = sentFields(input);
  const self = viewer.id === targetId;
  if (viewer.role === "ADMIN") {
    const refused = self ? fields.filter((field) => notOnSelf.has(field)) : [];
    if (refused.length > 0) {
      throw errors.forbidden(
        `Administrators cannot change their own ${refused.join(", ")}: ask another administrator (or use changePassword)`,
      );
    }
    return;
  }
  if (!self) throw errors.forbidden("Only an administrator may change another user");
  const adminOnly = fields.filter((field) => !selfServiceFields.has(field));
  if (adminOnly.length > 0) throw errors.forbidden(`Only an administrator may change ${adminOnly.join(", ")}`);
}

/** True when the viewer may read the user's personal identifiers (CPF). */
export const maySeePersonalData = (viewer: Viewer | null, userId: string): boolean =>
  viewer !== null && (viewer.id === userId || viewer.role === "ADMIN");
