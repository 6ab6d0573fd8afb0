/**
 * The cost of federated reads: the requests subgraph hands the gateway 50 requests, and the
 * gateway asks this subgraph for their dispensers (with stock and lots) and items in one
 * `_entities` call. That must cost a handful of statements, not one per entity. A replica at
 * LOG_LEVEL=trace logs each statement with the request's correlation id; we count them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { adminPool, as, ok, startReplica, type Replica } from "./support.js";

let replica: Replica;
const pool = adminPool();

beforeAll(async () => {
  // Fifty requests' cabinets with every stock level and lot cost ~105,000 by the operation
  // limits' estimate, past the default: this test is about statements per batch, not limits.
  replica = await startReplica({ LOG_LEVEL: "trace", MAX_QUERY_COST: "200000" });
});
afterAll(async () => {
  await replica?.stop();
  await pool.end();
});

/**
 * Entity references of `count` requests: their dispenser and their items. The seed has about
 * forty requests, so the list wraps around, as a busy ward's list repeats its cabinets.
 */
async function referencesOf(count: number): Promise<{ __typename: string; id: string }[]> {
  const { rows } = await pool.query<{ dispenser_id: string; items: string[] }>(
    `select r.dispenser_id, array_remove(array_agg(i.item_id::text), null) as items
       from requests.requests r left join requests.request_items i on i.request_id = r.id
      group by r.id, r.dispenser_id order by r.id`,
  );
  expect(rows.length).toBeGreaterThan(10);
  return Array.from({ length: count }, (_, index) => rows[index % rows.length]!).flatMap((row) => [
    { __typename: "Dispenser", id: row.dispenser_id },
    ...row.items.map((id) => ({ __typename: "CatalogItem", id })),
  ]);
}

const entities = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Dispenser { id name ward stock { quantity available low item { id name } lots { lotNumber expired } } }
    ... on CatalogItem { id name unitCost ... on Medication { controlled } }
  }
}`;

async function resolve(count: number) {
  const representations = await referencesOf(count);
  const requestId = `batch-${count}-${randomUUID()}`;
  const { _entities } = await ok<{ _entities: ({ stock?: unknown[] } | null)[] }>(
    as.nurse,
    entities,
    { representations },
    {
      url: replica.url,
      requestId,
    },
  );
  // Log lines arrive through a pipe; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { representations, resolved: _entities, statements: replica.statements(requestId) };
}

describe("batched entity resolution", () => {
  it("resolves 50 requests' dispensers (with stock and lots) and items in a constant number of statements", async () => {
    const cold = await resolve(50);
    expect(cold.representations.length).toBeGreaterThan(100);
    expect(cold.resolved.every((entity) => entity !== null)).toBe(true);
    expect(cold.resolved.some((entity) => (entity?.stock?.length ?? 0) > 0)).toBe(true);
    // One statement per kind and nesting depth, whatever the number of entities: dispensers,
    // catalog items (the references), stock levels, lots, catalog items (stocked, one level down).
    expect(cold.statements.length, cold.statements.join("\n")).toBeLessThanOrEqual(5);
    expect(cold.statements.every((statement) => statement.startsWith("select"))).toBe(true);

    // Warm: dispensers and items come from the process cache; stock is always read fresh.
    const warm = await resolve(50);
    expect(warm.statements, warm.statements.join("\n")).toHaveLength(2);
    const few = await resolve(5);
    expect(few.statements).toHaveLength(warm.statements.length);
  });
});
