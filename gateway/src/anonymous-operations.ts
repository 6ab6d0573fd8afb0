import {
  GraphQLError,
  Kind,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { assertNever, ErrorCode } from "@asky/runtime";
import type { GatewayContext } from "./context.js";

/**
 * Root fields a client may use without an access token: signing in, renewing a session,
 * signing out with the refresh token alone, and schema introspection for the explorer.
 */
const anonymousRootFields: Readonly<Record<OperationDefinitionNode["operation"], ReadonlySet<string>>> = {
  query: new Set(["__schema", "__type", "__typename"]),
  mutation: new Set(["login", "refreshToken", "logout", "__typename"]),
  subscription: new Set(),
};

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen = new Set<string>(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection.name.value];
      case Kind.INLINE_FRAGMENT:
        return rootFieldNames(selection.selectionSet, fragments, seen);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) return [];
        seen.add(name);
        return rootFieldNames(fragment.selectionSet, fragments, seen);
      }
      default:
        return assertNever(selection, "selection");
    }
  });
}

/** Refuses, before any subgraph is called, an anonymous operation that needs a user. */
export const requireSignInPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation, document }) {
        if (contextValue.viewer || !operation) return;
        const fragments = Object.fromEntries(
          document.definitions
            .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
            .map((fragment) => [fragment.name.value, fragment]),
        );
        const allowed = anonymousRootFields[operation.operation];
        const needsSignIn = rootFieldNames(operation.selectionSet, fragments).some((field) => !allowed.has(field));
        if (needsSignIn) {
          throw new GraphQLError("Sign in to use this operation", {
            extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
          });
        }
      },
    };
  },
};
