import { errors } from "@asky/runtime";
import type { ReportsContext } from "../context.js";
import type { MutationResolvers } from "../generated/resolvers-types.js";
import { createWebhook, deleteWebhook, updateWebhook, type WebhookAdmin } from "../services/manage-webhooks.js";

function adminOf(context: ReportsContext): WebhookAdmin {
  if (!context.viewer) throw errors.unauthenticated();
  return {
    db: context.db,
    actorId: context.viewer.id,
    allowance: context.webhookAllowance,
    secretKeys: context.webhookSecretKeys,
  };
}

export const Mutation: MutationResolvers = {
  createWebhook: (_parent, { input }, context) => createWebhook(adminOf(context), input),
  updateWebhook: (_parent, { id, input }, context) => updateWebhook(adminOf(context), id, input),
  deleteWebhook: (_parent, { id }, context) => deleteWebhook(adminOf(context), id),
};
