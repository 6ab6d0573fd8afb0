/**
 * A small hospital day for the reports tests, walked through the real API, and the same
 * figures computed independently from the requests database (the source of truth the read
 * model is projected from).
 */
import pg from "pg";
import { inject } from "vitest";
import { asGateway, eventually, type GraphQLClient } from "@asky/stack/testing";
import { dispenserId, itemId } from "@asky/db/seed/ids";

export const adminPool = (): pg.Pool => new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 3 });

export const dipirona = itemId("MED-DIPIRONA-500-CP");
export const omeprazol = itemId("MED-OMEPRAZOL-20-CAP");
export const utiCabinet = dispenserId("PYX-UTI-01");
export const pedCabinet = dispenserId("PYX-PED-01");

interface Ref {
  id: string;
  version: number;
}

const lot = (lotNumber: string, quantity: number) => ({ lotNumber, expiresAt: "2031-12-31", quantity });

const CREATE = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`;
const CHANGE = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version } }`;
const PICK = `mutation($input: RecordPickInput!) { recordPick(input: $input) { id version } }`;

async function create(client: GraphQLClient, priority: string, cabinet: string, quantities: [string, number][]) {
  const { createRequest } = await client.ok<{ createRequest: Ref }>(CREATE, {
    input: {
      kind: "MEDICATION",
      priority,
      dispenserId: cabinet,
      items: quantities.map(([item, quantity]) => ({ itemId: item, quantity })),
    },
  });
  return createRequest;
}

async function move(client: GraphQLClient, request: Ref, status: string, extra: Record<string, unknown> = {}) {
  const { changeRequestStatus } = await client.ok<{ changeRequestStatus: Ref }>(CHANGE, {
    input: { requestId: request.id, status, expectedVersion: request.version, ...extra },
  });
  return changeRequestStatus;
}

/**
 * Four requests: a STAT delivered in full, a ROUTINE delivered short (dipirona picked 2 of 4),
 * an URGENT of the paediatric ward accepted only, and a ROUTINE cancelled. Returns their ids.
 */
export async function walkADay(): Promise<string[]> {
  const nurse = asGateway("nurse@asky.dev");
  const peds = asGateway("nurse.peds@asky.dev");
  const tech = asGateway("tech@asky.dev");
  const pharmacist = asGateway("pharmacist@asky.dev");

  let full = await create(nurse, "STAT", utiCabinet, [
    [dipirona, 2],
    [omeprazol, 1],
  ]);
  for (const status of ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"])
    full = await move(pharmacist, full, status);

  let short = await create(nurse, "ROUTINE", utiCabinet, [
    [dipirona, 4],
    [omeprazol, 2],
  ]);
  short = await move(tech, short, "ACCEPTED");
  short = await move(tech, short, "PREPARING");
  const { recordPick } = await tech.ok<{ recordPick: Ref }>(PICK, {
    input: {
      requestId: short.id,
      expectedVersion: short.version,
      lines: [
        { itemId: dipirona, quantity: 2, reasonCode: "STOCKOUT", lots: [lot("RPT-DIP-1", 2)] },
        { itemId: omeprazol, quantity: 2, lots: [lot("RPT-OME-1", 2)] },
      ],
    },
  });
  short = await move(tech, recordPick, "DISPATCHED");
  short = await move(pharmacist, short, "DELIVERED");

  const accepted = await move(pharmacist, await create(peds, "URGENT", pedCabinet, [[dipirona, 1]]), "ACCEPTED");
  const cancelled = await move(nurse, await create(nurse, "ROUTINE", utiCabinet, [[omeprazol, 3]]), "CANCELLED", {
    reasonCode: "CANCELED_BY_REQUESTER",
  });
  return [full.id, short.id, accepted.id, cancelled.id];
}

/** Waits until the read model holds every request made since `from` at its current version. */
export async function readModelCaughtUp(pool: pg.Pool, from: Date): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await pool.query<{ behind: number }>(
        `SELECT count(*)::int AS behind FROM requests.requests r
         LEFT JOIN reports.request_facts f ON f.request_id = r.id
         WHERE r.created_at >= $1 AND (f.version IS DISTINCT FROM r.version OR f.created_at IS NULL)`,
        [from],
      );
      return rows[0]!.behind === 0;
    },
    30_000,
    "the reports read model to catch up with the requests database",
  );
}

export interface StageFigures {
  count: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
  p95Minutes: number | null;
}

/** Turnaround per priority over [from, to), from the requests schema and its history. */
export async function expectedTurnaround(pool: pg.Pool, from: Date, to: Date) {
  const stage = (status: string) => `
    count(${status}) AS ${status}_count,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${status} - created_at) / 60) AS ${status}_p50,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ${status} - created_at) / 60) AS ${status}_p90,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ${status} - created_at) / 60) AS ${status}_p95`;
  const firstAt = (status: string) =>
    `(SELECT min(h.at) FROM requests.request_history h WHERE h.request_id = r.id AND h.to_status = '${status}') AS ${status.toLowerCase()}`;
  const { rows } = await pool.query<Record<string, string | number | null>>(
    `SELECT priority::text, count(*)::int AS requests, ${["accepted", "dispatched", "delivered"].map(stage).join(",")}
     FROM (SELECT r.priority, r.created_at, ${["ACCEPTED", "DISPATCHED", "DELIVERED"].map(firstAt).join(", ")}
           FROM requests.requests r WHERE r.created_at >= $1 AND r.created_at < $2) t
     GROUP BY priority ORDER BY priority`,
    [from, to],
  );
  const num = (value: unknown) => (value === null ? null : Number(value));
  return rows.map((row) => {
    const figures = (name: string): StageFigures => ({
      count: Number(row[`${name}_count`]),
      p50Minutes: num(row[`${name}_p50`]),
      p90Minutes: num(row[`${name}_p90`]),
      p95Minutes: num(row[`${name}_p95`]),
    });
    return {
      priority: row["priority"],
      requests: Number(row["requests"]),
      accepted: figures("accepted"),
      dispatched: figures("dispatched"),
      delivered: figures("delivered"),
    };
  });
}

/** Fill rate per ward over requests made in [from, to) and delivered. */
export async function expectedFillRate(pool: pg.Pool, from: Date, to: Date) {
  const { rows } = await pool.query<{ ward: string; requested: number; filled: number }>(
    `SELECT r.ward, count(*)::int AS requested,
       (count(*) FILTER (WHERE COALESCE(i.quantity_received, i.quantity_dispatched, i.quantity) >= i.quantity))::int AS filled
     FROM requests.request_items i JOIN requests.requests r ON r.id = i.request_id
     WHERE r.created_at >= $1 AND r.created_at < $2 AND r.status = 'DELIVERED'
       AND NOT EXISTS (SELECT 1 FROM requests.request_items o WHERE o.substituted_by_id = i.id)
     GROUP BY r.ward ORDER BY r.ward`,
    [from, to],
  );
  return rows;
}

/** Units, cost and requests per ward and item of requests delivered in [from, to). */
export async function expectedConsumption(pool: pg.Pool, from: Date, to: Date) {
  const { rows } = await pool.query<{
    ward: string;
    item_id: string;
    quantity: number;
    cost: string;
    requests: number;
  }>(
    `WITH delivered AS (
       SELECT r.id, r.ward, (SELECT min(h.at) FROM requests.request_history h
                             WHERE h.request_id = r.id AND h.to_status = 'DELIVERED') AS at
       FROM requests.requests r WHERE r.status = 'DELIVERED')
     SELECT d.ward, i.item_id,
       sum(COALESCE(i.quantity_received, i.quantity_dispatched, i.quantity))::int AS quantity,
       sum(COALESCE(i.quantity_received, i.quantity_dispatched, i.quantity) * i.unit_cost)::numeric(14, 2)::text AS cost,
       count(DISTINCT d.id)::int AS requests
     FROM delivered d JOIN requests.request_items i ON i.request_id = d.id
     WHERE d.at >= $1 AND d.at < $2
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, to],
  );
  return rows;
}
