/**
 * Two reports replicas sending the same queue: every event reaches the receiver exactly as
 * many times as the delivery log has attempts (no attempt sent by both), each event is
 * delivered once, and the attempts show on the replicas' /metrics.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asGateway,
  eventually,
  gatewayMetrics,
  startReplica,
  sumOf,
  testStack,
  type Replica,
} from "@asky/stack/testing";
import { adminPool, dipirona, utiCabinet } from "./support.js";
import {
  createWebhook,
  deleteWebhook,
  secret,
  startReceiver,
  validSignature,
  type Receiver,
} from "./webhook-support.js";

const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
const REQUESTS = 12;

let pool: pg.Pool;
let replica: Replica;
let hook: Receiver;

beforeAll(async () => {
  pool = adminPool();
  replica = await startReplica("reports", {
    WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    WEBHOOK_RETRY_BASE_MS: "50",
    METRICS_TOKEN: testStack().metricsToken,
  });
  // Every third request fails, so retries race between the replicas too.
  hook = await startReceiver((n) => (n % 3 === 0 ? 500 : 200));
}, 120_000);

afterAll(async () => {
  await replica?.stop();
  await hook?.close();
  await pool.end();
});

/** Attempts by result, summed over the stack's reports service and the replica. */
async function attemptMetrics(): Promise<{ delivered: number; retry: number; failed: number }> {
  const scrapes = await Promise.all([gatewayMetrics(testStack().subgraphUrls.reports), gatewayMetrics(replica.url)]);
  const total = (result: string) =>
    scrapes.reduce((sum, scrape) => sum + sumOf(scrape, "asky_webhook_attempts_total", { result }), 0);
  return { delivered: total("delivered"), retry: total("retry"), failed: total("failed") };
}

describe("webhook delivery with two replicas", () => {
  it("sends each attempt from one replica only", async () => {
    const before = await attemptMetrics();
    const { webhook } = await createWebhook(hook.url, ["REQUEST_CREATED"]);
    try {
      const nurse = asGateway("nurse@asky.dev");
      const created = await Promise.all(
        Array.from({ length: REQUESTS }, () =>
          nurse.ok<{ createRequest: { id: string } }>(CREATE_REQUEST, {
            input: {
              kind: "MEDICATION",
              priority: "ROUTINE",
              dispenserId: utiCabinet,
              items: [{ itemId: dipirona, quantity: 1 }],
            },
          }),
        ),
      );
      const requestIds = created.map((answer) => answer.createRequest.id);

      const rows = await eventually(
        async () => {
          const { rows } = await pool.query<{ event_id: string; status: string; attempts: number; logged: number }>(
            `SELECT d.event_id, d.status, d.attempts,
                    (SELECT count(*)::int FROM reports.webhook_attempts a WHERE a.delivery_id = d.id) AS logged
               FROM reports.webhook_deliveries d WHERE d.webhook_id = $1`,
            [webhook.id],
          );
          return rows.length === REQUESTS && rows.every((row) => row.status === "DELIVERED") ? rows : null;
        },
        60_000,
        "every delivery to be DELIVERED",
      );
      // The receiver got exactly the attempts the log holds: none was sent twice.
      const attempts = rows.reduce((sum, row) => sum + row.attempts, 0);
      expect(rows.every((row) => row.logged === row.attempts)).toBe(true);
      expect(hook.received).toHaveLength(attempts);
      expect(hook.received.every((received) => validSignature(secret, received))).toBe(true);
      const delivered = hook.received.filter((_, index) => (index + 1) % 3 !== 0).map((r) => r.envelope.id);
      expect(new Set(delivered).size).toBe(REQUESTS);
      expect(delivered).toHaveLength(REQUESTS);
      for (const id of requestIds) {
        expect(hook.received.some((r) => (r.envelope.data["requestId"] as string | undefined) === id)).toBe(true);
      }

      const after = await eventually(
        async () => {
          const now = await attemptMetrics();
          return now.delivered - before.delivered === REQUESTS ? now : null;
        },
        15_000,
        "the metrics to count the deliveries",
      );
      expect(after.retry - before.retry).toBe(attempts - REQUESTS);
      expect(after.failed - before.failed).toBe(0);
    } finally {
      await deleteWebhook(webhook.id);
    }
  });
});
