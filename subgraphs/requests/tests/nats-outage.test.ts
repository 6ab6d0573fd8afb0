import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { personByEmail } from "@asky/db/seed/people";
import type { Viewer } from "@asky/contracts";
import { adminPool, eventually, streamEvents, syringe, utiCabinet } from "./support.js";
import { startPrivateRequests, type PrivateRequestsStack } from "./private-stack.js";

const person = personByEmail("nurse@asky.dev");
const nurse: Viewer = { id: person.id, role: person.role, ward: person.ward };
const createMutation = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;

let stack: PrivateRequestsStack;
let pool: ReturnType<typeof adminPool>;

beforeAll(async () => {
  stack = await startPrivateRequests();
  pool = adminPool(stack.adminUrl);
}, 180_000);
afterAll(async () => {
  await pool?.end();
  await stack?.dispose();
});

async function unpublished(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from requests.outbox where published_at is null`,
  );
  return rows[0]!.n;
}

async function createOne(index: number): Promise<string> {
  const input = {
    kind: "MATERIAL",
    dispenserId: utiCabinet,
    items: [{ itemId: syringe, quantity: 1 + (index % 5) }],
    idempotencyKey: `outage-${index}`,
  };
  const result = await stack.call<{ createRequest: { id: string } }>(nurse, createMutation, { input });
  if (!result.data?.createRequest) throw new Error(`createRequest failed: ${JSON.stringify(result.errors)}`);
  return result.data.createRequest.id;
}

describe("requests created while NATS is down", () => {
  it("reach the stream exactly once each after NATS comes back", async () => {
    await stack.stopNats();
    const ids: string[] = [];
    // In batches, as wards would: the service keeps answering without its broker.
    for (let batch = 0; batch < 5; batch++) {
      ids.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => createOne(batch * 10 + i)))));
    }
    expect(new Set(ids).size).toBe(50);
    expect(await unpublished()).toBe(50);

    await stack.startNats();
    await eventually(async () => (await unpublished()) === 0, 90_000, "the outbox to drain");

    const nc: NatsConnection = await connect({ servers: stack.natsUrl });
    try {
      const created = await streamEvents(nc, "asky.requests.created");
      const ours = created.filter((event) => ids.includes(String(event.envelope.data.requestId)));
      expect(ours).toHaveLength(50);
      expect(new Set(ours.map((event) => event.envelope.id)).size).toBe(50);
      expect(new Set(ours.map((event) => event.envelope.data.requestId)).size).toBe(50);
      expect(created).toHaveLength(50);
      for (const event of ours) expect(event.msgId).toBe(event.envelope.id);
    } finally {
      await nc.close();
    }
  }, 180_000);
});
