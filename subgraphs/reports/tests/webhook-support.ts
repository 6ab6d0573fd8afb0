/**
 * Webhook receivers for the tests: real HTTP servers on 127.0.0.1 (the host the test stack's
 * WEBHOOK_ALLOWED_HOSTS names), recording what they are sent, with the signature check a
 * receiver would make.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { asGateway, eventually } from "@asky/stack/testing";

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly envelope: { id: string; subject: string; data: Record<string, unknown> };
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  close(): Promise<void>;
}

/** `status(n)` answers the n-th request (1-based); 200 unless told otherwise. */
export async function startReceiver(status: (n: number) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body, envelope: JSON.parse(body) as Received["envelope"] });
      res.statusCode = status(received.length);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a receiver checks: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function validSignature(secret: string, received: Received): boolean {
  const header = String(received.headers["asky-signature"] ?? "");
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${received.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
}

export const secret = "a-webhook-secret-of-at-least-32-characters";

const CREATE = `mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { webhook { id url events active } generatedSecret }
}`;

export async function createWebhook(url: string, events: string[], webhookSecret: string | null = secret) {
  const { createWebhook: created } = await asGateway("admin@asky.dev").ok<{
    createWebhook: {
      webhook: { id: string; url: string; events: string[]; active: boolean };
      generatedSecret: string | null;
    };
  }>(CREATE, { input: { url, events, ...(webhookSecret === null ? {} : { secret: webhookSecret }) } });
  return created;
}

export async function deleteWebhook(id: string): Promise<void> {
  await asGateway("admin@asky.dev").ok(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
}

/** The id of the event the requests service wrote for `subject` about `requestId`. */
export async function requestEventId(pool: pg.Pool, subject: string, requestId: string): Promise<string> {
  return eventually(
    async () => {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM requests.outbox WHERE subject = $1 AND payload::text LIKE $2 ORDER BY created_at DESC LIMIT 1`,
        [subject, `%${requestId}%`],
      );
      return rows[0]?.id;
    },
    15_000,
    `the ${subject} event of ${requestId}`,
  );
}

/** Waits until the webhook consumer `durable` has handled event `eventId`. */
export async function handled(pool: pg.Pool, durable: string, eventId: string): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await pool.query(
        `SELECT 1 FROM reports.processed_events WHERE consumer = $1 AND event_id = $2`,
        [durable, eventId],
      );
      return rows.length > 0;
    },
    30_000,
    `${durable} to handle ${eventId}`,
  );
}

/** Webhooks, audit lines and deliveries: what a refusal must leave as it was. */
export async function webhookState(pool: pg.Pool) {
  const { rows } = await pool.query<{ state: string }>(
    `SELECT (SELECT coalesce(json_agg(w ORDER BY w.id), '[]') FROM reports.webhooks w)::text
         || (SELECT count(*) FROM reports.audit_log)::text
         || (SELECT count(*) FROM reports.webhook_deliveries)::text AS state`,
  );
  return rows[0]!.state;
}
