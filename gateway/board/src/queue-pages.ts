/**
 * The first `pages` pages of the pharmacy's queue, read one after the other with the cursors
 * the server gives: the queue's order (past due first) is judged when the first page is read
 * and kept in its cursors, so the pages join up even while the clock runs.
 */
import { documents } from "@asky/client";
import type { AskyClient, BoardRequest, QueuePage } from "./types.js";

export const PAGE_SIZE = 50;

export interface QueueRead {
  requests: BoardRequest[];
  totalCount: number;
  hasMore: boolean;
}

export async function readQueue(client: AskyClient, pages: number): Promise<QueueRead> {
  const requests: BoardRequest[] = [];
  let after: string | null = null;
  for (let page = 0; ; page++) {
    const data: QueuePage = await client.execute(documents.PharmacyQueueDocument, { first: PAGE_SIZE, after });
    const { edges, pageInfo, totalCount } = data.pharmacyQueue;
    requests.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage || page + 1 >= pages) {
      return { requests, totalCount, hasMore: pageInfo.hasNextPage };
    }
    after = pageInfo.endCursor;
  }
}
