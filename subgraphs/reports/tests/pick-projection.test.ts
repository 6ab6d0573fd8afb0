/**
 * asky.requests.pick_recorded in the read model: a pick moves the request to a new version
 * without changing its status, and reports follows it, so "the read model is at the request's
 * version" holds for a request left in PREPARING after a pick; a rebuild gives the same row.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispenserId, itemId } from "@asky/db/seed/ids";
import { connectNats } from "@asky/events";
import { createLogger } from "@asky/runtime";
import { asGateway, eventually, testStack } from "@asky/stack/testing";
import { rebuildReadModel } from "../src/services/rebuild-read-model.js";
import { adminPool } from "./support.js";

const nurse = asGateway("nurse@asky.dev");
const tech = asGateway("tech@asky.dev");
const dipirona = itemId("MED-DIPIRONA-500-CP");
let pool: pg.Pool;

beforeAll(() => {
  pool = adminPool();
});
afterAll(async () => {
  await pool.end();
});

interface Row {
  version: number;
  status: string;
  preparing_at: Date | null;
  quantity_requested: number;
}

async function rowOf(requestId: string): Promise<Row | undefined> {
  const { rows } = await pool.query<Row>(
    `select f.version, f.status, f.preparing_at, l.quantity_requested
       from reports.request_facts f join reports.request_line_facts l using (request_id)
      where f.request_id = $1`,
    [requestId],
  );
  return rows[0];
}

describe("pick_recorded in the reports read model", () => {
  it("advances the version of a request left in PREPARING, and replays the same", async () => {
    const { createRequest } = await nurse.ok<{ createRequest: { id: string; version: number } }>(
      `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
      {
        input: {
          kind: "MEDICATION",
          dispenserId: dispenserId("PYX-UTI-01"),
          items: [{ itemId: dipirona, quantity: 2 }],
        },
      },
    );
    let version = createRequest.version;
    for (const status of ["ACCEPTED", "PREPARING"]) {
      const { changeRequestStatus } = await tech.ok<{ changeRequestStatus: { version: number } }>(
        `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { version } }`,
        { input: { requestId: createRequest.id, status, expectedVersion: version } },
      );
      version = changeRequestStatus.version;
    }
    const { recordPick } = await tech.ok<{ recordPick: { version: number } }>(
      `mutation($input: RecordPickInput!) { recordPick(input: $input) { version } }`,
      {
        input: {
          requestId: createRequest.id,
          expectedVersion: version,
          lines: [
            {
              itemId: dipirona,
              quantity: 2,
              lots: [{ lotNumber: "PICK-PROJ-1", expiresAt: "2031-12-31", quantity: 2 }],
            },
          ],
        },
      },
    );
    expect(recordPick.version).toBe(version + 1);

    const picked = await eventually(
      async () => {
        const row = await rowOf(createRequest.id);
        return row?.version === recordPick.version ? row : undefined;
      },
      20_000,
      "the picked request's version in the read model",
    );
    expect(picked).toMatchObject({ version: recordPick.version, status: "PREPARING", quantity_requested: 2 });
    expect(picked.preparing_at).not.toBeNull();

    // Emptied and replayed from the stream (beside the live consumers): the same row.
    const logger = createLogger("reports-pick-projection-test", "warn");
    const readModel = new pg.Pool({ connectionString: testStack().serviceDatabaseUrls.reports, max: 2 });
    const nats = await connectNats(testStack().natsUrl, "reports-pick-projection-test", logger);
    try {
      await rebuildReadModel({ pool: readModel, nats, logger, batchSize: 50 });
    } finally {
      await nats.drain();
      await readModel.end();
    }
    expect(await rowOf(createRequest.id)).toEqual(picked);
  });
});
