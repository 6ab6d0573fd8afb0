/**
 * Webhooks delivered through the real stack: matching events reach a receiver once each,
 * signed; other events never; a receiver that fails three times gets the event a fourth time
 * and the delivery log shows the four attempts; a name that resolves to loopback at delivery
 * time (DNS rebinding) is refused at the socket and the receiver hears nothing.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asGateway, eventually, testStack } from "@asky/stack/testing";
import { adminPool, dipirona, utiCabinet } from "./support.js";
import {
  createWebhook,
  deleteWebhook,
  handled,
  requestEventId,
  secret,
  startReceiver,
  validSignature,
  type Receiver,
} from "./webhook-support.js";
import { sealedForStack } from "./webhook-secret-support.js";

const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`;
const CHANGE = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(webhookId: $id) {
  totalCount edges { node { eventId eventType status nextAttemptAt attempts { number statusCode error durationMs } } }
} }`;

interface Delivery {
  eventId: string;
  eventType: string;
  status: string;
  nextAttemptAt: string | null;
  attempts: { number: number; statusCode: number | null; error: string | null; durationMs: number }[];
}

let pool: pg.Pool;
const receivers: Receiver[] = [];

beforeAll(() => {
  pool = adminPool();
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await pool.end();
});

async function receiver(status?: (n: number) => number): Promise<Receiver> {
  const started = await startReceiver(status);
  receivers.push(started);
  return started;
}

async function newRequest(): Promise<{ id: string; version: number }> {
  const { createRequest } = await asGateway("nurse@asky.dev").ok<{ createRequest: { id: string; version: number } }>(
    CREATE_REQUEST,
    {
      input: {
        kind: "MEDICATION",
        priority: "STAT",
        dispenserId: utiCabinet,
        items: [{ itemId: dipirona, quantity: 1 }],
      },
    },
  );
  return createRequest;
}

async function accept(request: { id: string; version: number }) {
  await asGateway("pharmacist@asky.dev").ok(CHANGE, {
    input: { requestId: request.id, status: "ACCEPTED", expectedVersion: request.version },
  });
}

async function deliveries(webhookId: string): Promise<Delivery[]> {
  const data = await asGateway("admin@asky.dev").ok<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
    DELIVERIES,
    { id: webhookId },
  );
  return data.webhookDeliveries.edges.map((edge) => edge.node);
}

/** A new cabinet and material with par levels: an empty new slot raises stock_low. */
async function raiseStockLow(): Promise<string> {
  const code = `PYX-WH-${Date.now().toString(36).toUpperCase()}`;
  const { createDispenser } = await asGateway("admin@asky.dev").ok<{ createDispenser: { id: string } }>(
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
    { input: { code, name: `Cabinet ${code}`, ward: "CLINICA-CIRURGICA", location: "Posto" } },
  );
  const { createMaterial } = await asGateway("pharmacist@asky.dev").ok<{ createMaterial: { id: string } }>(
    `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`,
    { input: { code: `MAT-${code}`, name: `Gaze ${code}`, unit: "unidade", unitCost: 0.5 } },
  );
  await asGateway("pharmacist@asky.dev").ok(
    `mutation($d: ID!, $i: ID!) { setParLevels(dispenserId: $d, itemId: $i, parLevel: 10, minLevel: 5) { id } }`,
    { d: createDispenser.id, i: createMaterial.id },
  );
  return createDispenser.id;
}

describe("webhook delivery", () => {
  it("sends each matching event once, signed, and no other event", async () => {
    const hook = await receiver();
    const { webhook } = await createWebhook(hook.url, ["REQUEST_CREATED", "STOCK_LOW"]);
    try {
      const request = await newRequest();
      await accept(request);
      const cabinet = await raiseStockLow();

      const created = await requestEventId(pool, "asky.requests.created", request.id);
      const changed = await requestEventId(pool, "asky.requests.status_changed", request.id);
      await eventually(
        async () =>
          hook.received.some((r) => r.envelope.id === created) &&
          hook.received.some(
            (r) => r.envelope.subject === "asky.dispensers.stock_low" && r.envelope.data["dispenserId"] === cabinet,
          ),
        30_000,
        "the receiver to get the request's creation and the cabinet's stock_low",
      );
      // The status change was seen by the webhook consumer and sent nowhere.
      await handled(pool, "reports-webhooks-request-status-changed", changed);

      for (const received of hook.received) {
        expect(validSignature(secret, received)).toBe(true);
        expect(received.headers["asky-event-id"]).toBe(received.envelope.id);
        expect(received.headers["idempotency-key"]).toBe(received.envelope.id);
        expect(["REQUEST_CREATED", "STOCK_LOW"]).toContain(received.headers["asky-event-type"]);
        expect(received.headers["content-type"]).toBe("application/json");
      }
      expect(validSignature("another-secret-of-at-least-32-characters!", hook.received[0]!)).toBe(false);
      for (const received of hook.received) {
        expect(["asky.requests.created", "asky.dispensers.stock_low"]).toContain(received.envelope.subject);
      }
      expect(hook.received.some((r) => r.envelope.id === changed)).toBe(false);
      // Once each: no event id twice.
      const ids = hook.received.map((r) => r.envelope.id);
      expect(new Set(ids).size).toBe(ids.length);

      const log = await deliveries(webhook.id);
      const first = log.find((delivery) => delivery.eventId === created)!;
      expect(first).toMatchObject({ eventType: "REQUEST_CREATED", status: "DELIVERED", nextAttemptAt: null });
      expect(first.attempts).toMatchObject([{ number: 1, statusCode: 200, error: null }]);
    } finally {
      await deleteWebhook(webhook.id);
    }
  });

  it("retries a failing receiver with back-off and logs every attempt", async () => {
    const request = await newRequest();
    const flaky = await receiver((n) => (n <= 3 ? 503 : 204));
    const { webhook } = await createWebhook(flaky.url, ["REQUEST_STATUS_CHANGED"]);
    try {
      await accept(request);
      const changed = await requestEventId(pool, "asky.requests.status_changed", request.id);
      const [delivery] = await eventually(
        async () => {
          const log = await deliveries(webhook.id);
          return log[0]?.status === "DELIVERED" ? log : null;
        },
        30_000,
        "the delivery to succeed at the fourth attempt",
      );
      expect(delivery).toMatchObject({ eventId: changed, eventType: "REQUEST_STATUS_CHANGED", status: "DELIVERED" });
      expect(delivery!.attempts.map(({ number, statusCode }) => [number, statusCode])).toEqual([
        [1, 503],
        [2, 503],
        [3, 503],
        [4, 204],
      ]);
      expect(delivery!.attempts.slice(0, 3).every((attempt) => attempt.error === "HTTP 503")).toBe(true);
      // Four posts of the same event, the same id each time (the receiver's idempotency key).
      expect(flaky.received.map((r) => r.headers["idempotency-key"])).toEqual([changed, changed, changed, changed]);
      expect(flaky.received.every((r) => validSignature(secret, r))).toBe(true);
    } finally {
      await deleteWebhook(webhook.id);
    }
  });

  it("sends SLA events by their subject, whatever their data holds", async () => {
    const hook = await receiver();
    const { webhook } = await createWebhook(hook.url, ["SLA_BREACHED"]);
    try {
      // Envelopes as the requests service's SLA clock publishes them; the data is passed on as is.
      const envelope = (type: string) => ({
        id: randomUUID(),
        type: `requests.${type}`,
        subject: `asky.requests.${type}`,
        occurredAt: new Date().toISOString(),
        version: 1,
        data: { requestId: randomUUID(), stage: "DISPATCH", dueAt: new Date().toISOString(), extra: ["kept"] },
      });
      const warning = envelope("sla_warning");
      const breached = envelope("sla_breached");
      const nc = await connect({ servers: testStack().natsUrl });
      for (const event of [warning, breached]) {
        await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
      }
      await nc.drain();
      await eventually(async () => hook.received.length > 0, 30_000, "the breach to be sent");
      await handled(pool, "reports-webhooks-sla-warning", warning.id);
      expect(hook.received.map((r) => r.envelope)).toEqual([breached]);
      expect(hook.received[0]!.headers["asky-event-type"]).toBe("SLA_BREACHED");
      expect(validSignature(secret, hook.received[0]!)).toBe(true);
    } finally {
      await deleteWebhook(webhook.id);
    }
  });

  it("refuses at delivery a name that now resolves to loopback", async () => {
    const hook = await receiver();
    // As if `localhost` had resolved to a public address when the webhook was registered:
    // the row is written directly, past the check at creation.
    const webhookId = randomUUID();
    await pool.query(
      `INSERT INTO reports.webhooks (id, url, events, secret, created_by)
       VALUES ($1, $2, '{REQUEST_CREATED}', $3, gen_random_uuid())`,
      [webhookId, `http://localhost:${hook.port}/hook`, sealedForStack(webhookId, secret)],
    );
    try {
      const request = await newRequest();
      const created = await requestEventId(pool, "asky.requests.created", request.id);
      const [delivery] = await eventually(
        async () => {
          const log = await deliveries(webhookId);
          return log[0] && log[0].attempts.length > 0 ? log : null;
        },
        30_000,
        "a first attempt",
      );
      expect(delivery).toMatchObject({ eventId: created, eventType: "REQUEST_CREATED" });
      expect(delivery!.attempts[0]).toMatchObject({ number: 1, statusCode: null });
      expect(delivery!.attempts[0]!.error).toMatch(/internal address/);
      expect(hook.received).toEqual([]);
    } finally {
      await deleteWebhook(webhookId);
    }
  });
});
