import { assertNever, errors } from "@asky/runtime";
import type { Role, Viewer } from "@asky/contracts";
import type { InternalIdentity } from "./internal-token.js";

/**
 * Who may call a root field. Each subgraph declares one rule per Query and Mutation
 * field in a single table (its `access.ts`); `guardResolvers` applies the table, and the
 * table's type requires an entry for every field, so a new field without a rule does not
 * compile. Data-dependent scoping (a nurse sees her ward) stays in the data layer.
 */
export type AccessRule =
  | { readonly kind: "anyone" }
  | { readonly kind: "signedIn" }
  | { readonly kind: "roles"; readonly roles: readonly Role[] }
  | { readonly kind: "services"; readonly services: readonly string[]; readonly roles: readonly Role[] };

export const allow = {
  /** Reachable without a signed-in user (still only through the gateway). */
  anyone: { kind: "anyone" } as AccessRule,
  signedIn: { kind: "signedIn" } as AccessRule,
  roles: (...roles: Role[]): AccessRule => ({ kind: "roles", roles }),
  /** Sibling services calling with their own service token, plus the given roles. */
  servicesOr: (services: string[], ...roles: Role[]): AccessRule => ({ kind: "services", services, roles }),
};

export interface GuardedContext {
  readonly viewer: Viewer | null;
  readonly identity: InternalIdentity;
}

export function checkAccess(rule: AccessRule, context: GuardedContext): void {
  const { viewer, identity } = context;
  switch (rule.kind) {
    case "anyone":
      return;
    case "signedIn":
      if (!viewer) throw errors.unauthenticated();
      return;
    case "roles":
      if (!viewer) throw errors.unauthenticated();
      if (!rule.roles.includes(viewer.role)) throw errors.forbidden(`Requires role ${rule.roles.join(" or ")}`);
      return;
    case "services":
      if (identity.caller !== "gateway" && rule.services.includes(identity.caller)) return;
      if (!viewer) throw errors.unauthenticated();
      if (!rule.roles.includes(viewer.role)) throw errors.forbidden(`Requires role ${rule.roles.join(" or ")}`);
      return;
    default:
      return assertNever(rule, "access rule");
  }
}

type FieldResolver<TContext> = (parent: unknown, args: unknown, context: TContext, info: unknown) => unknown;
type RootResolvers = Record<string, unknown>;
export type AccessTable<TRoot> = { readonly [Field in keyof Required<TRoot>]: AccessRule };

function guardRoot<TContext extends GuardedContext>(
  root: RootResolvers,
  table: Record<string, AccessRule>,
): RootResolvers {
  const guarded: RootResolvers = {};
  for (const [field, resolver] of Object.entries(root)) {
    const rule = table[field];
    if (!rule) throw new Error(`no access rule for ${field}`);
    if (typeof resolver !== "function") {
      guarded[field] = resolver;
      continue;
    }
    const resolve = resolver as FieldResolver<TContext>;
    guarded[field] = (parent: unknown, args: unknown, context: TContext, info: unknown) => {
      checkAccess(rule, context);
      return resolve(parent, args, context, info);
    };
  }
  return guarded;
}

/** Returns the resolver map with every Query and Mutation field wrapped by its rule. */
export function guardResolvers<
  TResolvers extends { Query?: object; Mutation?: object },
  TContext extends GuardedContext,
>(
  resolvers: TResolvers,
  table: {
    Query: AccessTable<NonNullable<TResolvers["Query"]>>;
    Mutation?: AccessTable<NonNullable<TResolvers["Mutation"]>>;
  },
): TResolvers {
  // A Mutation map without its table would be served unguarded: refuse to start instead.
  if (resolvers.Mutation && !table.Mutation)
    throw new Error("guardResolvers: the Mutation resolvers have no access table");
  return {
    ...resolvers,
    ...(resolvers.Query ? { Query: guardRoot<TContext>(resolvers.Query as RootResolvers, table.Query) } : {}),
    ...(resolvers.Mutation && table.Mutation
      ? { Mutation: guardRoot<TContext>(resolvers.Mutation as RootResolvers, table.Mutation) }
      : {}),
  };
}
