import { allow, guardResolvers } from "@asky/auth";
import type { Resolvers } from "./generated/resolvers-types.js";

/**
 * Who may call each root field of the reports subgraph. Every field must appear here: the
 * table's type is derived from the schema. The pharmacy's leadership and admins read every
 * ward; a nurse reads her own ward's figures (the resolvers confine her, as the requests
 * subgraph does); technicians work the queue and are not judged by these reports here.
 */
export function withAccessRules(resolvers: Resolvers): Resolvers {
  return guardResolvers(resolvers, {
    Query: {
      turnaround: allow.roles("PHARMACIST", "ADMIN", "NURSE"),
      fillRate: allow.roles("PHARMACIST", "ADMIN", "NURSE"),
      consumption: allow.roles("PHARMACIST", "ADMIN", "NURSE"),
      stockouts: allow.roles("PHARMACIST", "ADMIN", "NURSE"),
      expiryLoss: allow.roles("PHARMACIST", "ADMIN", "NURSE"),
      // Webhooks send hospital events outside: administrators alone register and inspect them.
      webhooks: allow.roles("ADMIN"),
      webhookDeliveries: allow.roles("ADMIN"),
    },
    Mutation: {
      createWebhook: allow.roles("ADMIN"),
      updateWebhook: allow.roles("ADMIN"),
      deleteWebhook: allow.roles("ADMIN"),
    },
  });
}
