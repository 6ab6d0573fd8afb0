import { decodeCursor, errors, pageSize, timestampSortKey, toConnection, uuidField } from "@asky/runtime";
import type { QueryResolvers } from "../generated/resolvers-types.js";
import { deliveryPage, webhookExists } from "../data/webhook-deliveries.js";
import { listWebhooks } from "../data/webhooks.js";

/** The administrators' view of webhooks: the list (bounded by MAX_WEBHOOKS) and the delivery log. */
export const webhookQuery: Pick<QueryResolvers, "webhooks" | "webhookDeliveries"> = {
  webhooks: (_parent, _args, { db }) => listWebhooks(db),
  webhookDeliveries: async (_parent, { webhookId, status, first, after }, { db }) => {
    const size = pageSize(first);
    const cursor = decodeCursor(after, timestampSortKey);
    const id = uuidField(webhookId, "webhookId");
    if (!(await webhookExists(db, id))) throw errors.notFound("Webhook", id);
    const page = await deliveryPage(db, {
      webhookId: id,
      status: status ?? null,
      size,
      after: cursor,
    });
    return toConnection(page.nodes, size, page.totalCount, (row) => ({ sort: row.sortKey, id: row.id }));
  },
};
