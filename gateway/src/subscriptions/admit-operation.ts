import {
  GraphQLError,
  getOperationAST,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from "graphql";
import type { SubscribePayload } from "graphql-ws";
import { errors, isContractError, RefusedRequest } from "@asky/runtime";
import type { GatewayAdmission } from "../admission/gateway-admission.js";
import type { TrustedDocuments } from "../trusted-documents/index.js";
import { authorizeSubscription } from "./authorize-subscription.js";
import type { QuotaReason } from "./connection-quota.js";
import type { ConnectionState, OpenTransport, OperationContext } from "./connection-state.js";
import type { OperationExecutor } from "./execute-operation.js";
import type { SubscriptionHub } from "./subscription-hub.js";
import { planSubscription } from "./subscription-plan.js";
import type { SubscriptionRegistry } from "./subscription-registry.js";

export interface OperationChecks {
  schema: () => GraphQLSchema | null;
  admission: GatewayAdmission | null;
  /** Which operations may run, by hash or as text: the decision HTTP requests get too. */
  trusted: TrustedDocuments;
  registry: SubscriptionRegistry;
  execute: OperationExecutor;
  /** Whether a subscription's group is live: a subscription joining one passed its check already. */
  hub: Pick<SubscriptionHub, "serves">;
}

const refusals: Record<Exclude<QuotaReason, "MAX_SOCKETS_PER_USER">, (limit: number) => string> = {
  MAX_SUBSCRIPTIONS_PER_SOCKET: (limit) => `At most ${limit} subscriptions per connection`,
  MAX_SUBSCRIPTIONS_PER_USER: (limit) => `At most ${limit} subscriptions per user on this server`,
};

function asErrors(error: unknown): GraphQLError[] {
  if (isContractError(error)) return [error];
  return [errors.badUserInput(error instanceof Error ? error.message : "Invalid operation")];
}

/**
 * A `subscribe` message: the request allowance and operation limits HTTP requests get, then
 * validation; for a subscription also the socket's and user's subscription quota, its plan and
 * its field's subscribe-time authorization. The errors to answer with, or what graphql-ws runs.
 */
export async function admitOperation<Transport extends OpenTransport, Outbox>(
  socket: Transport,
  state: ConnectionState<Outbox> | undefined,
  id: string,
  payload: SubscribePayload,
  checks: OperationChecks,
): Promise<ExecutionArgs | GraphQLError[]> {
  const schema = checks.schema();
  if (!state) return [errors.unauthenticated()];
  if (!schema) {
    return [new GraphQLError("The gateway is not ready yet", { extensions: { code: "INTERNAL_SERVER_ERROR" } })];
  }
  const { viewer } = state.context;
  let document: DocumentNode;
  try {
    // Every subscribe draws on the same allowance as an HTTP request, and is measured
    // by the same limits before graphql-js parses or validates it at full cost.
    checks.admission?.take(state.address, viewer.id);
    // A subscribe by hash carries query "" (graphql-ws requires a string): this resolves it to
    // its trusted document, or refuses it, before anything is parsed.
    const resolved = checks.trusted.resolve(payload, viewer);
    document =
      checks.admission?.admitOperation(resolved, viewer.id)?.document ?? parse(resolved.query, { maxTokens: 5_000 });
  } catch (error) {
    if (error instanceof RefusedRequest) return [error.error];
    return asErrors(error);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return validationErrors.map((error) => errors.badUserInput(error.message));
  const variableValues = payload.variables ?? {};
  const operation = getOperationAST(document, payload.operationName);
  const base = { schema, document, variableValues, operationName: payload.operationName ?? null };
  if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) {
    return { ...base, contextValue: { kind: "operation", context: state.context } satisfies OperationContext };
  }
  // Taken before the first await: see SocketQuota.reserveSubscription.
  const reserved = state.quota.reserveSubscription();
  if ("refused" in reserved) {
    const { refused, limit } = reserved;
    return [errors.limitReached(refusals[refused](limit), refused, { limit })];
  }
  const slot = reserved.admitted;
  try {
    const plan = planSubscription(checks.registry, schema, document, payload.operationName, variableValues, viewer);
    await authorizeSubscription(plan, state.context, checks.execute, checks.hub);
    // Cut off (or closed) meanwhile: its close event may be the close timeout away.
    if (socket.readyState !== socket.OPEN) {
      slot.release();
      return [errors.badUserInput("The connection is closing")];
    }
    // From here the subscription owns the slot and gives it back when it ends.
    const contextValue: OperationContext<Transport, Outbox> = {
      kind: "subscription",
      id,
      plan,
      context: state.context,
      socket,
      state,
      slot,
    };
    return { ...base, contextValue };
  } catch (error) {
    slot.release();
    return asErrors(error);
  }
}
