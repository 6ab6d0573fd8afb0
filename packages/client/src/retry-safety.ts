/**
 * Which operations may be sent again after a network failure. The request may have been
 * carried out with only its answer lost, so a retry must not do the work twice: queries
 * may, and mutations only where repeating is harmless — createRequest carries its
 * idempotency key, changeRequestStatus its expectedVersion (a repeat is a CONFLICT, never a
 * second change), sign-in and sign-out change nothing twice. Any other mutation (adjustStock's
 * delta, say) is sent once unless the caller says it is idempotent; refreshToken never twice.
 */
import { OperationTypeNode, type DocumentNode } from "graphql";
import { operationOf } from "./operation-payload.js";

const repeatableMutations = new Set(["CreateRequest", "ChangeRequestStatus", "SignIn", "SignOut"]);

export function retriesAllowed(document: DocumentNode, idempotent: boolean | undefined): boolean {
  if (idempotent !== undefined) return idempotent;
  const operation = operationOf(document);
  switch (operation.operation) {
    case OperationTypeNode.QUERY:
      return true;
    case OperationTypeNode.MUTATION:
      return repeatableMutations.has(operation.name?.value ?? "");
    case OperationTypeNode.SUBSCRIPTION:
      return false;
  }
}
