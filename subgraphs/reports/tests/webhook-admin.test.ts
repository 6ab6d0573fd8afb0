/**
 * Registering webhooks: ADMIN only, audited, the secret never shown (but for one the service
 * generates, once), and hostile input — internal targets, plain http, long URLs, short
 * secrets, too many webhooks — refused with codes, changing nothing.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asGateway, codeOf } from "@asky/stack/testing";
import { adminPool } from "./support.js";
import { createWebhook, deleteWebhook, secret, webhookState } from "./webhook-support.js";

const CREATE = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } generatedSecret } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id url events active } }`;
const LIST = `{ webhooks { id url events active createdAt updatedAt } }`;

let pool: pg.Pool;
const local = "http://127.0.0.1:9/hook";

beforeAll(() => {
  pool = adminPool();
});

afterAll(async () => {
  await pool.end();
});

const reasonOf = (body: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.[0]?.extensions?.["reason"];

describe("webhook administration", () => {
  it("creates, lists, updates and deletes, auditing each change and never returning the secret", async () => {
    const admin = asGateway("admin@asky.dev");
    const { webhook, generatedSecret } = await createWebhook(local, ["STOCK_LOW", "STOCK_LOW", "SLA_BREACHED"]);
    expect(generatedSecret).toBeNull();
    expect(webhook).toMatchObject({ url: local, events: ["STOCK_LOW", "SLA_BREACHED"], active: true });

    const updated = await admin.ok<{ updateWebhook: unknown }>(UPDATE, {
      id: webhook.id,
      input: { active: false, secret: `${secret}-rotated` },
    });
    expect(updated.updateWebhook).toMatchObject({ id: webhook.id, active: false });
    const listed = await admin.ok<{ webhooks: { id: string }[] }>(LIST);
    expect(listed.webhooks.find((w) => w.id === webhook.id)).toMatchObject({ active: false });

    // The type has no secret field at all: asking for one is refused before execution.
    const asked = await admin.post(`{ webhooks { id secret } }`);
    expect(codeOf(asked.body)).toBe("BAD_USER_INPUT");
    expect(asked.body.data ?? null).toBeNull();

    // A generated secret: 64 hex characters, shown once.
    const generated = await createWebhook(local, ["REQUEST_CREATED"], null);
    expect(generated.generatedSecret).toMatch(/^[0-9a-f]{64}$/);
    const stored = await pool.query<{ secret: string }>(`SELECT secret FROM reports.webhooks WHERE id = $1`, [
      generated.webhook.id,
    ]);
    // Stored sealed (webhooks/secret-box), never as given: a dump of the table cannot sign.
    expect(stored.rows[0]!.secret).toMatch(/^v1:/);
    expect(stored.rows[0]!.secret).not.toContain(generated.generatedSecret!);

    await deleteWebhook(webhook.id);
    await deleteWebhook(generated.webhook.id);
    expect((await admin.ok<{ webhooks: { id: string }[] }>(LIST)).webhooks.map((w) => w.id)).not.toContain(webhook.id);

    const { rows } = await pool.query<{ action: string; actor_id: string; detail: unknown }>(
      `SELECT action, actor_id, detail FROM reports.audit_log WHERE target_id = $1 ORDER BY at`,
      [webhook.id],
    );
    expect(rows.map((row) => row.action)).toEqual(["webhook.create", "webhook.update", "webhook.delete"]);
    expect(rows[1]!.detail).toMatchObject({ active: false, secretChanged: true });
    expect(JSON.stringify(rows)).not.toContain(secret);
    const audited = await pool.query(`SELECT detail::text FROM reports.audit_log WHERE target_id = $1`, [
      generated.webhook.id,
    ]);
    expect(JSON.stringify(audited.rows)).not.toContain(generated.generatedSecret!);
  });

  it("is for administrators only", async () => {
    const before = await webhookState(pool);
    for (const [caller, code] of [
      ["pharmacist@asky.dev", "FORBIDDEN"],
      ["nurse@asky.dev", "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      const client = asGateway(caller);
      expect(codeOf((await client.post(CREATE, { input: { url: local, events: ["STOCK_LOW"], secret } })).body)).toBe(
        code,
      );
      expect(codeOf((await client.post(LIST)).body)).toBe(code);
      const deliveries = `{ webhookDeliveries(webhookId: "00000000-0000-4000-8000-000000000000") { totalCount } }`;
      expect(codeOf((await client.post(deliveries)).body)).toBe(code);
    }
    expect(await webhookState(pool)).toBe(before);
  });

  it.each([
    ["https://localhost/hook", "INTERNAL_TARGET"],
    ["https://127.0.0.2/hook", "INTERNAL_TARGET"],
    ["https://0x7f000002/hook", "INTERNAL_TARGET"],
    ["https://[::1]/hook", "INTERNAL_TARGET"],
    ["https://[::ffff:127.0.0.1]/hook", "INTERNAL_TARGET"],
    ["https://[fd00:ec2::254]/hook", "INTERNAL_TARGET"],
    ["https://169.254.169.254/latest/meta-data", "INTERNAL_TARGET"],
    ["https://10.1.2.3/hook", "INTERNAL_TARGET"],
    ["https://192.168.0.10/hook", "INTERNAL_TARGET"],
    ["https://224.0.0.1/hook", "INTERNAL_TARGET"],
    ["https://no-such-host.invalid/hook", "UNRESOLVABLE_HOST"],
    ["http://example.com/hook", "HTTPS_REQUIRED"],
    ["ftp://127.0.0.1/hook", "HTTPS_REQUIRED"],
    ["http://localhost:9/hook", "HTTPS_REQUIRED"],
    ["https://user:pass@example.com/hook", "INVALID_URL"],
    ["not a url", "INVALID_URL"],
    [`https://example.com/${"a".repeat(2048)}`, "URL_TOO_LONG"],
  ])("refuses the URL %s (%s), changing nothing", async (url, reason) => {
    const before = await webhookState(pool);
    const { body } = await asGateway("admin@asky.dev").post(CREATE, { input: { url, events: ["STOCK_LOW"], secret } });
    expect(codeOf(body)).toBe("BAD_USER_INPUT");
    expect(reasonOf(body)).toBe(reason);
    expect(await webhookState(pool)).toBe(before);
  });

  it("refuses hostile secrets, events, ids and cursors with codes, changing nothing", async () => {
    const admin = asGateway("admin@asky.dev");
    const { webhook } = await createWebhook(local, ["STOCK_LOW"]);
    try {
      const before = await webhookState(pool);
      for (const [input, reason] of [
        [{ url: local, events: ["STOCK_LOW"], secret: "short" }, "SECRET_TOO_SHORT"],
        [{ url: local, events: ["STOCK_LOW"], secret: "x".repeat(257) }, "SECRET_TOO_LONG"],
        [{ url: local, events: ["STOCK_LOW"], secret: `${secret}\u0000` }, "INVALID_SECRET"],
        [{ url: local, events: [], secret }, "NO_EVENTS"],
      ] as const) {
        const { body } = await admin.post(CREATE, { input });
        expect([codeOf(body), reasonOf(body)]).toEqual(["BAD_USER_INPUT", reason]);
      }
      expect(codeOf((await admin.post(CREATE, { input: { url: local, events: ["EVERYTHING"], secret } })).body)).toBe(
        "BAD_USER_INPUT",
      );
      for (const [variables, code, reason] of [
        [{ id: webhook.id, input: { url: "https://169.254.169.254/" } }, "BAD_USER_INPUT", "INTERNAL_TARGET"],
        [{ id: webhook.id, input: { secret: "short" } }, "BAD_USER_INPUT", "SECRET_TOO_SHORT"],
        [{ id: webhook.id, input: {} }, "BAD_USER_INPUT", "NO_CHANGES"],
        [{ id: "not-an-id", input: { active: false } }, "BAD_USER_INPUT", undefined],
        [{ id: "00000000-0000-4000-8000-000000000000", input: { active: false } }, "NOT_FOUND", undefined],
      ] as const) {
        const { body } = await admin.post(UPDATE, variables);
        expect([codeOf(body), reasonOf(body)]).toEqual([code, reason]);
      }
      const page = (after: string | null, first = 5) =>
        admin.post(
          `query($id: ID!, $after: String, $first: Int) { webhookDeliveries(webhookId: $id, after: $after, first: $first) { totalCount } }`,
          {
            id: webhook.id,
            after,
            first,
          },
        );
      expect(codeOf((await page("not-a-cursor")).body)).toBe("BAD_USER_INPUT");
      expect(codeOf((await page(null, 1000)).body)).toBe("BAD_USER_INPUT");
      const deliveriesOf = (id: string) =>
        admin.post(`query($id: ID!) { webhookDeliveries(webhookId: $id) { totalCount } }`, { id });
      expect(codeOf((await deliveriesOf("00000000-0000-4000-8000-000000000000")).body)).toBe("NOT_FOUND");
      expect(codeOf((await deliveriesOf("'; DROP TABLE reports.webhooks; --")).body)).toBe("BAD_USER_INPUT");
      expect(codeOf((await page(Buffer.from('["2026-13-45T00:00:00Z","x"]').toString("base64url"))).body)).toBe(
        "BAD_USER_INPUT",
      );
      expect(
        codeOf((await admin.post(`mutation { deleteWebhook(id: "00000000-0000-4000-8000-000000000000") }`)).body),
      ).toBe("NOT_FOUND");
      expect(await webhookState(pool)).toBe(before);
    } finally {
      await deleteWebhook(webhook.id);
    }
  });

  it("refuses a webhook past the limit, also when created concurrently", async () => {
    const { rows } = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM reports.webhooks`);
    const room = 20 - rows[0]!.count;
    const answers = await Promise.all(
      Array.from({ length: room + 3 }, () =>
        asGateway("admin@asky.dev").post<{ createWebhook: { webhook: { id: string } } }>(CREATE, {
          input: { url: local, events: ["STOCK_LOW"], secret },
        }),
      ),
    );
    const created = answers.flatMap((answer) => (answer.body.data ? [answer.body.data.createWebhook.webhook.id] : []));
    try {
      expect(created).toHaveLength(room);
      const refused = answers.filter((answer) => !answer.body.data);
      expect(refused.map((answer) => [codeOf(answer.body), reasonOf(answer.body)])).toEqual(
        Array.from({ length: 3 }, () => ["CONFLICT", "TOO_MANY_WEBHOOKS"]),
      );
      const count = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM reports.webhooks`);
      expect(count.rows[0]!.count).toBe(20);
    } finally {
      for (const id of created) await deleteWebhook(id);
    }
  });
});
