/**
 * Who sees which report, hostile arguments, and the CSV routes: the pharmacy and admins see
 * every ward, a nurse her own ward only (whatever ward she asks for), technicians nothing;
 * ranges and groupings out of bounds are refused with codes; the CSV needs a token.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asGateway, codeOf, demoToken, testStack } from "@asky/stack/testing";
import { adminPool, dipirona, omeprazol, readModelCaughtUp, walkADay } from "./support.js";

const BY_WARD = `query($from: DateTime!, $to: DateTime!, $groupBy: [TurnaroundGroup!]!, $ward: String) {
  turnaround(from: $from, to: $to, groupBy: $groupBy, ward: $ward) { group { ward priority } requests }
}`;

let pool: pg.Pool;
let from: Date;
let to: Date;

beforeAll(async () => {
  pool = adminPool();
  from = (await pool.query<{ now: Date }>("SELECT now() - interval '1 millisecond' AS now")).rows[0]!.now;
  await walkADay();
  to = new Date(Date.now() + 3_600_000);
  await readModelCaughtUp(pool, from);
}, 120_000);

afterAll(async () => {
  await pool.end();
});

const range = () => ({ from: from.toISOString(), to: to.toISOString() });
type Rows = { turnaround: { group: { ward: string }; requests: number }[] };
const wards = (rows: Rows) => rows.turnaround.map((row) => row.group.ward);

describe("report access", () => {
  it("shows the pharmacy every ward and a nurse her own, even when she names another", async () => {
    const all = await asGateway("pharmacist@asky.dev").ok<Rows>(BY_WARD, { ...range(), groupBy: ["WARD"] });
    expect(wards(all)).toEqual(["PEDIATRIA", "UTI-ADULTO"]);
    const nurse = asGateway("nurse@asky.dev");
    const own = await nurse.ok<Rows>(BY_WARD, { ...range(), groupBy: ["WARD"] });
    expect(own.turnaround).toEqual(all.turnaround.filter((row) => row.group.ward === "UTI-ADULTO"));
    expect(wards(await nurse.ok<Rows>(BY_WARD, { ...range(), groupBy: ["WARD"], ward: "PEDIATRIA" }))).toEqual([]);
    // The administrator may narrow to a ward.
    const peds = await asGateway("admin@asky.dev").ok<Rows>(BY_WARD, { ...range(), groupBy: [], ward: "pediatria" });
    expect(peds.turnaround).toEqual([{ group: { ward: null, priority: null }, requests: 1 }]);
  });

  it("refuses technicians and anonymous callers", async () => {
    for (const [caller, code] of [
      ["tech@asky.dev", "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      const answer = await asGateway(caller).post(BY_WARD, { ...range(), groupBy: [] });
      expect(codeOf(answer.body)).toBe(code);
      expect(answer.body.data?.["turnaround"] ?? null).toBeNull();
    }
  });

  it.each([
    ["a range ending before it starts", { from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    ["an empty range", { from: "2026-03-01T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "INVALID_RANGE"],
    ["a range over 366 days", { from: "2025-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z" }, "RANGE_TOO_LONG"],
    ["four groups", { groupBy: ["WARD", "KIND", "HOUR", "PRIORITY"] }, "TOO_MANY_GROUPS"],
  ])("refuses %s with BAD_USER_INPUT", async (_what, change, reason) => {
    const answer = await asGateway("pharmacist@asky.dev").post(BY_WARD, { ...range(), groupBy: ["WARD"], ...change });
    expect(codeOf(answer.body)).toBe("BAD_USER_INPUT");
    expect(answer.body.errors?.[0]?.extensions?.["reason"]).toBe(reason);
  });

  it("names a row's cabinet and item through the dispensers subgraph", async () => {
    const { consumption } = await asGateway("nurse@asky.dev").ok<{
      consumption: { group: { dispenser: { code: string }; item: { id: string; name: string } } }[];
    }>(
      `query($from: DateTime!, $to: DateTime!) {
        consumption(from: $from, to: $to, groupBy: [DISPENSER, ITEM]) {
          group { dispenser { code } item { id name } }
        }
      }`,
      range(),
    );
    expect(consumption.map((row) => row.group.dispenser.code)).toEqual(["PYX-UTI-01", "PYX-UTI-01"]);
    expect(consumption.map((row) => row.group.item.id).sort()).toEqual([dipirona, omeprazol].sort());
    expect(consumption.every((row) => row.group.item.name.length > 0)).toBe(true);
  });

  it("counts a group named twice once", async () => {
    const twice = await asGateway("pharmacist@asky.dev").ok<Rows>(BY_WARD, {
      ...range(),
      groupBy: ["WARD", "WARD", "WARD", "WARD"],
    });
    expect(wards(twice)).toEqual(["PEDIATRIA", "UTI-ADULTO"]);
  });
});

describe("report CSV routes", () => {
  const url = (path: string, params: Record<string, string>) => {
    const address = new URL(path, testStack().gatewayUrl);
    for (const [key, value] of Object.entries({ ...range(), ...params })) address.searchParams.set(key, value);
    return address;
  };

  it("need a token", async () => {
    for (const path of ["/reports/turnaround.csv", "/reports/fill-rate.csv", "/reports/consumption.csv"]) {
      const response = await fetch(url(path, { groupBy: "WARD" }));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      await response.text();
    }
  });

  it("serve a nurse her ward's figures as CSV with a header row", async () => {
    const authorization = `Bearer ${await demoToken("nurse@asky.dev")}`;
    const response = await fetch(url("/reports/fill-rate.csv", { groupBy: "WARD,ITEM" }), {
      headers: { authorization },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("ward,itemId,lines_requested,lines_filled,fill_rate");
    expect(lines.at(-1)).toBe("");
    const body = lines.slice(1, -1);
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((line) => line.startsWith("UTI-ADULTO,"))).toBe(true);
  });

  it("refuse a bad parameter with 400 and a technician with 403, as JSON", async () => {
    const tech = `Bearer ${await demoToken("tech@asky.dev")}`;
    const pharmacist = `Bearer ${await demoToken("pharmacist@asky.dev")}`;
    const cases: [URL, string, number][] = [
      [url("/reports/turnaround.csv", { groupBy: "WARD,DISPENSER" }), pharmacist, 400],
      [url("/reports/consumption.csv", { groupBy: "DAY", from: "yesterday" }), pharmacist, 400],
      [url("/reports/turnaround.csv", { groupBy: "WARD,KIND,HOUR,PRIORITY" }), pharmacist, 400],
      [url("/reports/turnaround.csv", { groupBy: "WARD" }), tech, 403],
    ];
    for (const [address, authorization, status] of cases) {
      const response = await fetch(address, { headers: { authorization } });
      expect(response.status, address.search).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      await response.text();
    }
  });
});
