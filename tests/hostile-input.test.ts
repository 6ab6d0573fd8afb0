/**
 * Every argument and input field that reaches SQL, sent hostile values through the real
 * gateway: control characters, lone surrogates, tampered cursors, dates Postgres cannot
 * hold, integers beyond int4. Each must answer BAD_USER_INPUT naming the argument (or the
 * contract's null / NOT_FOUND for an id that names nothing), change nothing, and never be
 * logged as an unexpected error: a client that can make a service fault on purpose can fill
 * its error log and page the on-call pharmacist's IT team at will.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";
import { createUser } from "@asky/stack/testing";
import { gql, type GraphQLResponse } from "./support/graphql.js";
import { serviceLogLines } from "./support/service-log.js";
import { demoToken, type DemoAccount } from "./support/session.js";
import { CATALOG, CREATE_DISPENSER, CREATE_MEDICATION, ADJUST, CREATE_REQUEST } from "./hostile-input/operations.js";
import { fixtures, adjust, newRequest, newDispenser, newMedication } from "./hostile-input/support.js";
import { usersCases } from "./hostile-input/users.js";
import { dispensersCases } from "./hostile-input/dispensers.js";
import { stockCases } from "./hostile-input/stock.js";
import { requestsCases } from "./hostile-input/requests.js";
import { fulfilmentCases } from "./hostile-input/fulfilment.js";
import { reportsCases } from "./hostile-input/reports.js";

const stack = testStack();

// In the order the table had when it was one file, area by area.
const cases = [...usersCases, ...dispensersCases, ...stockCases, ...requestsCases, ...fulfilmentCases, ...reportsCases];

let pool: pg.Pool;
/** Database time after the fixtures: rows created or touched since then were written by a case. */
let since: Date;

/**
 * What any case could have written: rows created or updated since the fixtures, and the state
 * of the fixture cabinet (stock, lots, ledger, requests). Background consumers never touch
 * these: the cabinet is new and stocked above its minimum.
 */
async function footprint(): Promise<unknown> {
  const { rows } = await pool.query(
    `select
      (select count(*) from users.users where created_at >= $1 or updated_at >= $1) as users,
      (select count(*) from users.audit_log where at >= $1) as audit,
      (select count(*) from users.login_attempts where at >= $1) as attempts,
      (select count(*) from dispensers.dispensers where created_at >= $1 or updated_at >= $1) as dispensers,
      (select count(*) from dispensers.catalog_items where created_at >= $1 or updated_at >= $1) as catalog,
      (select json_agg(json_build_object('q', quantity, 'par', par_level, 'min', min_level, 'at', updated_at) order by id)
         from dispensers.stock_levels where dispenser_id = $2) as stock,
      (select json_agg(json_build_object('lot', l.lot_number, 'q', l.quantity) order by l.id)
         from dispensers.stock_lots l join dispensers.stock_levels s on s.id = l.stock_level_id where s.dispenser_id = $2) as lots,
      (select count(*) from dispensers.stock_movements m join dispensers.stock_levels s on s.id = m.stock_level_id where s.dispenser_id = $2) as movements,
      (select json_agg(json_build_object('id', id, 'v', version, 'at', updated_at) order by id)
         from requests.requests where dispenser_id = $2) as requests`,
    [since, fixtures.cabinet],
  );
  return rows[0];
}

async function admin<TData>(
  query: string,
  variables: Record<string, unknown>,
  account: DemoAccount = "admin@asky.dev",
): Promise<TData> {
  const { body } = await gql<TData>(query, variables, { token: await demoToken(account) });
  if (body.errors?.length || !body.data) throw new Error(`fixture failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const caseIds = new Map<string, string>();

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: stack.adminDatabaseUrl, max: 2 });
  // Sign-ins write audit entries and login attempts: all of them before `since`.
  await Promise.all(
    (["admin@asky.dev", "pharmacist@asky.dev", "nurse@asky.dev"] as const).map((account) => demoToken(account)),
  );
  const cabinet = await admin<{ createDispenser: { id: string } }>(CREATE_DISPENSER, newDispenser({})());
  fixtures.cabinet = cabinet.createDispenser.id;
  await admin(
    ADJUST,
    { input: { ...adjust({ delta: 10, expiresAt: "2030-01-01", parLevel: 10, minLevel: 2 })().input } },
    "pharmacist@asky.dev",
  );
  const medication = await admin<{ createMedication: { id: string } }>(CREATE_MEDICATION, newMedication({})());
  fixtures.medication = medication.createMedication.id;
  const request = await admin<{ createRequest: { id: string } }>(CREATE_REQUEST, newRequest({})(), "nurse@asky.dev");
  fixtures.request = request.createRequest.id;
  fixtures.user = (await createUser("PHARMACIST")).id;
  since = (await pool.query<{ now: Date }>("select clock_timestamp() as now")).rows[0]!.now;
});

afterAll(async () => {
  await pool?.end();
});

function describeErrors(body: GraphQLResponse<unknown>): string {
  return JSON.stringify(body.errors ?? body.data);
}

describe("hostile input through the gateway", () => {
  it.each(cases)("$name → $expect", async (testCase) => {
    const before = await footprint();
    const requestId = `hostile-${randomUUID()}`;
    caseIds.set(requestId, testCase.name);
    const token = testCase.as ? await demoToken(testCase.as) : undefined;
    const { body } = await gql(testCase.query, testCase.variables(), { token, requestId });

    const codes = (body.errors ?? []).map((error) => error.extensions?.code);
    if (testCase.expect === "null") {
      expect(body.errors, describeErrors(body)).toBeUndefined();
      expect(Object.values(body.data ?? {})).toEqual([null]);
    } else {
      expect(codes.length, describeErrors(body)).toBeGreaterThan(0);
      expect(new Set(codes), describeErrors(body)).toEqual(new Set([testCase.expect]));
      if (testCase.names !== undefined) {
        const error = body.errors![0]!.extensions ?? {};
        expect(error.argument ?? error.field, describeErrors(body)).toBe(testCase.names);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it("accepts line breaks and tabs in multi-line notes, and text with accents", async () => {
    const { createRequest } = await admin<{ createRequest: { note: string } }>(
      `mutation($input: CreateRequestInput!) { createRequest(input: $input) { note } }`,
      newRequest({ note: "Paciente do leito 4:\r\n\tdor às 3h  " })(),
      "nurse@asky.dev",
    );
    expect(createRequest.note).toBe("Paciente do leito 4:\n\tdor às 3h");
    const { catalog } = await admin<{ catalog: { totalCount: number } }>(
      CATALOG,
      { search: "Dipirona Sódica" },
      "nurse@asky.dev",
    );
    expect(catalog.totalCount).toBeGreaterThan(0);
  });

  it("logged none of the cases as an unexpected error in any service", async () => {
    const faults = (await serviceLogLines())
      .flatMap((line) => [...caseIds].filter(([id]) => line.includes(id)).map(([, name]) => ({ name, line })))
      .filter(({ line }) => line.includes("unexpected error") || /"level":(50|60)/.test(line))
      .map(({ name, line }) => `${name}: ${line.slice(0, 300)}`);
    expect(caseIds.size).toBe(cases.length);
    expect(faults).toEqual([]);
  });
});
