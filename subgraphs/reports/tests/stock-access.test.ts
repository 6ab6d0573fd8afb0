/**
 * Who sees which stock figures, hostile arguments and the CSV routes of the stock reports: the
 * pharmacy sees every ward, a nurse her own ward only (whatever ward she asks for), technicians
 * nothing; bad ranges, groups and ids are refused with codes; the CSV needs a token.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asGateway, codeOf, demoToken, testStack } from "@asky/stack/testing";
import { adminPool } from "./support.js";
import { adjust, inDays, NEVER_LOW, newCabinet, newMaterial, stockFactsCaughtUp } from "./stock-support.js";

const STOCKOUTS = `query($from: DateTime!, $to: DateTime!, $dispenserId: ID, $ward: String) {
  stockouts(from: $from, to: $to, dispenserId: $dispenserId, ward: $ward) { dispenserId ward dispenser { code } item { id } }
}`;
const EXPIRY_LOSS = `query($from: DateTime!, $to: DateTime!, $groupBy: [ExpiryLossGroup!]!, $ward: String) {
  expiryLoss(from: $from, to: $to, groupBy: $groupBy, ward: $ward) { group { ward } units cost }
}`;

type Stockouts = {
  stockouts: { dispenserId: string; ward: string; dispenser: { code: string }; item: { id: string } }[];
};
type Losses = { expiryLoss: { group: { ward: string | null }; units: number; cost: string }[] };

let pool: pg.Pool;
let from: Date;
let to: Date;
let uti: string;
let peds: string;
let item: string;
const range = () => ({ from: from.toISOString(), to: to.toISOString() });

beforeAll(async () => {
  pool = adminPool();
  from = new Date();
  [uti, peds, item] = await Promise.all([newCabinet("UTI-ADULTO"), newCabinet("PEDIATRIA"), newMaterial(2)]);
  // In each ward: an expired lot found by a count and written off, which leaves the cabinet empty.
  for (const dispenserId of [uti, peds]) {
    await adjust({
      dispenserId,
      itemId: item,
      delta: 2,
      reason: "COUNT_CORRECTION",
      lotNumber: "OLD",
      expiresAt: inDays(-3),
      ...NEVER_LOW,
    });
    await adjust({ dispenserId, itemId: item, delta: -2, reason: "EXPIRED" });
  }
  await stockFactsCaughtUp(pool, [uti, peds]);
  to = new Date();
}, 120_000);

afterAll(async () => {
  await pool.end();
});

const ours = (rows: Stockouts) => rows.stockouts.filter((row) => [uti, peds].includes(row.dispenserId));

describe("stock report access", () => {
  it("shows the pharmacy every ward and a nurse her own, even when she names another", async () => {
    const all = await asGateway("pharmacist@asky.dev").ok<Stockouts>(STOCKOUTS, range());
    expect(
      ours(all)
        .map((row) => row.ward)
        .sort(),
    ).toEqual(["PEDIATRIA", "UTI-ADULTO"]);
    const nurse = asGateway("nurse@asky.dev");
    const own = await nurse.ok<Stockouts>(STOCKOUTS, range());
    expect(own.stockouts.every((row) => row.ward === "UTI-ADULTO")).toBe(true);
    expect(ours(own).map((row) => row.dispenserId)).toEqual([uti]);
    expect((await nurse.ok<Stockouts>(STOCKOUTS, { ...range(), ward: "PEDIATRIA" })).stockouts).toEqual([]);
    expect((await nurse.ok<Stockouts>(STOCKOUTS, { ...range(), dispenserId: peds })).stockouts).toEqual([]);
    // The cabinet and item come from the dispensers subgraph.
    expect(ours(own)[0]).toMatchObject({ dispenser: { code: expect.stringMatching(/^PYX-RPT-/) }, item: { id: item } });

    const losses = await nurse.ok<Losses>(EXPIRY_LOSS, { ...range(), groupBy: ["WARD"] });
    expect(losses.expiryLoss.map((row) => row.group.ward)).toEqual(["UTI-ADULTO"]);
    const peds_ = await asGateway("admin@asky.dev").ok<Losses>(EXPIRY_LOSS, {
      ...range(),
      groupBy: [],
      ward: "pediatria",
    });
    expect(peds_.expiryLoss).toEqual([{ group: { ward: null }, units: 2, cost: "4.00" }]);
  });

  it("refuses technicians and anonymous callers", async () => {
    for (const [caller, code] of [
      ["tech@asky.dev", "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      for (const [query, variables] of [
        [STOCKOUTS, range()],
        [EXPIRY_LOSS, { ...range(), groupBy: [] }],
      ] as const) {
        const answer = await asGateway(caller).post(query, variables);
        expect(codeOf(answer.body)).toBe(code);
        expect(answer.body.data ?? null).toBeNull();
      }
    }
  });

  it.each([
    ["a range ending before it starts", { from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    ["a range over 366 days", { from: "2025-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z" }, "RANGE_TOO_LONG"],
    ["a malformed cabinet id", { dispenserId: "PYX-UTI-01' OR 1=1" }, "INVALID_ID"],
  ])("refuses stockouts over %s with BAD_USER_INPUT", async (_what, change, reason) => {
    const answer = await asGateway("pharmacist@asky.dev").post(STOCKOUTS, { ...range(), ...change });
    expect(codeOf(answer.body)).toBe("BAD_USER_INPUT");
    expect(answer.body.errors?.[0]?.extensions?.["reason"]).toBe(reason);
  });

  it.each([
    ["a range ending before it starts", { from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    ["four groups", { groupBy: ["WARD", "ITEM", "DAY", "MONTH"] }, "TOO_MANY_GROUPS"],
    ["an unknown group", { groupBy: ["PRIORITY"] }, undefined],
    ["a date that is no date", { from: "yesterday" }, undefined],
  ])("refuses expiry loss over %s with BAD_USER_INPUT", async (_what, change, reason) => {
    const answer = await asGateway("pharmacist@asky.dev").post(EXPIRY_LOSS, { ...range(), groupBy: [], ...change });
    expect(codeOf(answer.body)).toBe("BAD_USER_INPUT");
    if (reason) expect(answer.body.errors?.[0]?.extensions?.["reason"]).toBe(reason);
    expect(answer.body.data?.["expiryLoss"] ?? null).toBeNull();
  });
});

describe("stock report CSV routes", () => {
  const url = (path: string, params: Record<string, string>) => {
    const address = new URL(path, testStack().gatewayUrl);
    for (const [key, value] of Object.entries({ ...range(), ...params })) address.searchParams.set(key, value);
    return address;
  };

  it("need a token", async () => {
    for (const path of ["/reports/stockouts.csv", "/reports/expiry-loss.csv"]) {
      const response = await fetch(url(path, {}));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      await response.text();
    }
  });

  it("serve a nurse her ward's figures with a header row", async () => {
    const authorization = `Bearer ${await demoToken("nurse@asky.dev")}`;
    const stockouts = await fetch(url("/reports/stockouts.csv", { dispenserId: uti }), { headers: { authorization } });
    expect(stockouts.status).toBe(200);
    expect(stockouts.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const lines = (await stockouts.text()).split("\r\n");
    expect(lines[0]).toBe(
      "ward,dispenser_id,dispenser_code,item_id,item_name,seconds_at_zero,stockouts,at_zero_at_end,at_zero_now",
    );
    expect(lines.slice(1, -1)).toEqual([expect.stringMatching(new RegExp(`^UTI-ADULTO,${uti},PYX-RPT-.*,1,yes,yes$`))]);

    const losses = await fetch(url("/reports/expiry-loss.csv", { groupBy: "WARD" }), { headers: { authorization } });
    expect(losses.status).toBe(200);
    const rows = (await losses.text()).split("\r\n");
    expect(rows[0]).toBe("ward,units,cost,movements");
    expect(rows.slice(1, -1).every((line) => line.startsWith("UTI-ADULTO,"))).toBe(true);
  });

  it("refuse a bad parameter with 400 and a technician with 403, as JSON", async () => {
    const tech = `Bearer ${await demoToken("tech@asky.dev")}`;
    const pharmacist = `Bearer ${await demoToken("pharmacist@asky.dev")}`;
    const cases: [URL, string, number][] = [
      [url("/reports/expiry-loss.csv", { groupBy: "WARD,PRIORITY" }), pharmacist, 400],
      [url("/reports/stockouts.csv", { groupBy: "WARD" }), pharmacist, 400],
      [url("/reports/stockouts.csv", { dispenserId: "not-an-id" }), pharmacist, 400],
      [url("/reports/stockouts.csv", { from: "yesterday" }), pharmacist, 400],
      [url("/reports/expiry-loss.csv", {}), tech, 403],
    ];
    for (const [address, authorization, status] of cases) {
      const response = await fetch(address, { headers: { authorization } });
      expect(response.status, address.search).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      await response.text();
    }
  });
});
