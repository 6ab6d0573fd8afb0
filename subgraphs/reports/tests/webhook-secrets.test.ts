/**
 * Webhook secrets at rest, with a reports service of its own (its own database and
 * nats-server, so that it alone sends the deliveries these tests queue): the column never holds
 * the secret and deliveries are still signed with it; a plaintext row left by an earlier
 * version is sealed at start and keeps working; a ciphertext altered, or moved to another
 * webhook, is never used (nothing sent, the attempt recorded as failed); keys rotate ("B,A");
 * without keys in production, or with a malformed key, the service does not start.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningJwk } from "@asky/auth";
import {
  asSubgraph,
  demoViewer,
  eventually,
  privateDatabase,
  startPrivateNats,
  startReplica,
  type PrivateDatabase,
  type PrivateNats,
  type Replica,
} from "@asky/stack/testing";
import { startReceiver, validSignature, type Receiver } from "./webhook-support.js";

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } generatedSecret } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id } }`;

const keyEntry = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;
const keyA = keyEntry("key-a");
const keyB = keyEntry("key-b");
const secretOf = (n: number) => `webhook-secret-${n}-${randomBytes(16).toString("hex")}`;

let database: PrivateDatabase;
let nats: PrivateNats;
let pool: pg.Pool;
let replica: Replica | undefined;
const receivers: Receiver[] = [];

function start(keys: string, extra: Record<string, string> = {}): Promise<Replica> {
  return startReplica("reports", {
    DATABASE_URL: database.serviceUrl,
    NATS_URL: nats.url,
    WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    WEBHOOK_RETRY_BASE_MS: "60000",
    WEBHOOK_SECRET_KEYS: keys,
    ...extra,
  });
}

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

const admin = () => asSubgraph("reports", demoViewer("admin@asky.dev"), { url: replica!.url });

async function create(url: string, secret: string | null): Promise<{ id: string; secret: string }> {
  const { createWebhook } = await admin().ok<{
    createWebhook: { webhook: { id: string }; generatedSecret: string | null };
  }>(CREATE, { input: { url, events: ["REQUEST_CREATED"], ...(secret === null ? {} : { secret }) } });
  return { id: createWebhook.webhook.id, secret: secret ?? createWebhook.generatedSecret! };
}

async function stored(id: string): Promise<string> {
  const { rows } = await pool.query<{ secret: string }>(`SELECT secret FROM reports.webhooks WHERE id = $1`, [id]);
  return rows[0]!.secret;
}

/** Everything the database holds about webhooks, as text: what a dump would show. */
async function dump(): Promise<string> {
  const { rows } = await pool.query<{ text: string }>(
    `SELECT (SELECT coalesce(json_agg(w), '[]') FROM reports.webhooks w)::text
         || (SELECT coalesce(json_agg(a), '[]') FROM reports.audit_log a)::text AS text`,
  );
  return rows[0]!.text;
}

/** Queues one delivery of a new event to `webhookId`, as the webhook consumers do. */
async function enqueue(webhookId: string): Promise<{ deliveryId: string; eventId: string }> {
  const eventId = randomUUID();
  const body = JSON.stringify({ id: eventId, subject: "asky.requests.created", data: { webhookId } });
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO reports.webhook_deliveries (webhook_id, event_id, event_type, body)
     VALUES ($1, $2, 'REQUEST_CREATED', $3) RETURNING id`,
    [webhookId, eventId, body],
  );
  return { deliveryId: rows[0]!.id, eventId };
}

/** The first attempt of a delivery, once recorded. */
async function firstAttempt(deliveryId: string) {
  return eventually(
    async () => {
      const { rows } = await pool.query<{ status_code: number | null; error: string | null; status: string }>(
        `SELECT a.status_code, a.error, d.status FROM reports.webhook_attempts a
         JOIN reports.webhook_deliveries d ON d.id = a.delivery_id WHERE a.delivery_id = $1 AND a.attempt = 1`,
        [deliveryId],
      );
      return rows[0];
    },
    30_000,
    `the first attempt of delivery ${deliveryId}`,
  );
}

async function expectSigned(hook: Receiver, secret: string, eventId: string) {
  const attempt = await firstAttempt((await deliveryOf(eventId))!);
  expect(attempt).toMatchObject({ status_code: 200, error: null, status: "DELIVERED" });
  const received = hook.received.filter((r) => r.envelope.id === eventId);
  expect(received).toHaveLength(1);
  expect(validSignature(secret, received[0]!)).toBe(true);
}

async function deliveryOf(eventId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM reports.webhook_deliveries WHERE event_id = $1`, [
    eventId,
  ]);
  return rows[0]?.id;
}

beforeAll(async () => {
  database = await privateDatabase("reports");
  nats = await startPrivateNats();
  pool = new pg.Pool({ connectionString: database.adminUrl, max: 2 });
}, 120_000);

afterAll(async () => {
  await replica?.stop();
  await Promise.all(receivers.map((r) => r.close()));
  await pool?.end();
  await nats?.dispose();
  await database?.drop();
});

describe("webhook secrets at rest", () => {
  let plain: { id: string; secret: string; hook: Receiver };
  let hook: Receiver;
  let updated: { id: string; secret: string };

  it("seals, at start, a secret an earlier version stored in plain text, which keeps signing", async () => {
    const plainHook = await receiver();
    const secret = secretOf(0);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO reports.webhooks (url, events, secret, created_by)
       VALUES ($1, ARRAY['REQUEST_CREATED'], $2, gen_random_uuid()) RETURNING id`,
      [plainHook.url, secret],
    );
    plain = { id: rows[0]!.id, secret, hook: plainHook };
    replica = await start(keyA);
    const sealed = await eventually(
      async () => ((await stored(plain.id)).startsWith("v1:") ? stored(plain.id) : undefined),
      30_000,
      "the plaintext secret to be sealed",
    );
    expect(sealed).toMatch(/^v1:key-a:/);
    expect(await dump()).not.toContain(secret);
    const { eventId } = await enqueue(plain.id);
    await expectSigned(plainHook, secret, eventId);
  }, 120_000);

  it("never stores a secret as given (create, generated, update) and signs with it", async () => {
    hook = await receiver();
    const given = await create(hook.url, secretOf(1));
    const generated = await create(hook.url, null);
    for (const webhook of [given, generated]) {
      const column = await stored(webhook.id);
      expect(column).toMatch(/^v1:key-a:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
      expect(column).not.toContain(webhook.secret);
    }
    const before = await stored(given.id);
    updated = { id: given.id, secret: secretOf(2) };
    await admin().ok(UPDATE, { id: given.id, input: { secret: updated.secret } });
    expect(await stored(given.id)).not.toBe(before);
    const text = await dump();
    for (const secret of [given.secret, generated.secret, updated.secret]) expect(text).not.toContain(secret);

    const first = await enqueue(given.id);
    const second = await enqueue(generated.id);
    await expectSigned(hook, updated.secret, first.eventId);
    await expectSigned(hook, generated.secret, second.eventId);
  }, 60_000);

  it("sends nothing for a ciphertext altered or moved to another webhook, and records why", async () => {
    const hooks = { donor: await receiver(), moved: await receiver(), altered: await receiver() };
    const donor = await create(hooks.donor.url, secretOf(3));
    const moved = await create(hooks.moved.url, secretOf(4));
    const altered = await create(hooks.altered.url, secretOf(5));
    await pool.query(`UPDATE reports.webhooks SET secret = $2 WHERE id = $1`, [moved.id, await stored(donor.id)]);
    const parts = (await stored(altered.id)).split(":");
    parts[3] = (parts[3]![0] === "A" ? "B" : "A") + parts[3]!.slice(1);
    await pool.query(`UPDATE reports.webhooks SET secret = $2 WHERE id = $1`, [altered.id, parts.join(":")]);

    const refused = [await enqueue(moved.id), await enqueue(altered.id)];
    const sent = await enqueue(donor.id);
    for (const { deliveryId } of refused) {
      const attempt = await firstAttempt(deliveryId);
      expect(attempt.status_code).toBeNull();
      expect(attempt.error).toMatch(/^not sent: .*does not decrypt for this webhook/);
      expect(attempt.status).toBe("PENDING");
    }
    await expectSigned(hooks.donor, donor.secret, sent.eventId);
    // The attempts are recorded after the send would have been made: nothing went out.
    expect(hooks.moved.received).toEqual([]);
    expect(hooks.altered.received).toEqual([]);
    const logged = replica!.lines.filter((line) => line.includes("webhook not sent"));
    for (const { deliveryId } of refused) expect(logged.some((line) => line.includes(deliveryId))).toBe(true);
  }, 60_000);

  it("rotates: with keys B,A new secrets are sealed with B, and A's rows still sign", async () => {
    await replica!.stop();
    replica = await start(`${keyB}, ${keyA}`);
    const fresh = await create(hook.url, secretOf(6));
    expect(await stored(fresh.id)).toMatch(/^v1:key-b:/);
    expect(await stored(updated.id)).toMatch(/^v1:key-a:/);
    const events = [await enqueue(fresh.id), await enqueue(updated.id), await enqueue(plain.id)];
    await expectSigned(hook, fresh.secret, events[0]!.eventId);
    await expectSigned(hook, updated.secret, events[1]!.eventId);
    await expectSigned(plain.hook, plain.secret, events[2]!.eventId);
    // A secret set again is sealed with the new key.
    await admin().ok(UPDATE, { id: updated.id, input: { secret: updated.secret } });
    expect(await stored(updated.id)).toMatch(/^v1:key-b:/);
  }, 120_000);
});

describe("starting without usable keys", () => {
  it("refuses to start in production without WEBHOOK_SECRET_KEYS, and starts with them", async () => {
    const jwk = await generateSigningJwk("reports");
    const { d: _private, ...publicJwk } = jwk;
    const production = {
      NODE_ENV: "production",
      SIGNING_JWKS: JSON.stringify({ keys: [jwk] }),
      TRUSTED_JWKS: JSON.stringify({ gateway: { keys: [publicJwk] } }),
    };
    await replica?.stop();
    replica = undefined;
    await expect(start("", production)).rejects.toThrow(/WEBHOOK_SECRET_KEYS is required in production/);
    // The same environment with keys starts: the key was what it lacked.
    replica = await start(keyA, production);
  }, 120_000);

  it("refuses a malformed key, naming the entry and never the key", async () => {
    const failure = (keys: string) =>
      start(keys).then(
        () => expect.fail("started with a malformed WEBHOOK_SECRET_KEYS"),
        (error: Error) => error.message,
      );
    const short = `key-c:${randomBytes(16).toString("base64")}`;
    const tooShort = await failure(`${keyA},${short}`);
    expect(tooShort).toMatch(/WEBHOOK_SECRET_KEYS: key 2 \(key-c\) is 16 bytes; an AES-256 key is 32/);
    const twice = await failure(`${keyA},${keyA}`);
    expect(twice).toMatch(/WEBHOOK_SECRET_KEYS: key 2: the id \\*"key-a\\*" is given twice/);
    for (const message of [tooShort, twice]) {
      for (const entry of [keyA, short]) expect(message).not.toContain(entry.slice(entry.indexOf(":") + 1));
    }
  }, 120_000);
});
