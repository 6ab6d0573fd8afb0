/**
 * `stockLow`, the pharmacy's live stock alerts, through the real gateway over graphql-ws: an
 * adjustment that takes a level below its minimum raises asky.dispensers.stock_low in the
 * dispensers service, and the gateway delivers it with its payload resolved by the dispensers
 * subgraph. Nurses follow their own ward only; a cursor resumes after what was missed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { demoToken, testStack } from "@asky/stack/testing";
import { adjust, freshSlot, type StockSlot } from "./support/stock-api.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";

const stack = testStack();
const WARD = "UTI-ADULTO";

interface Alert {
  stockLow: {
    cursor: string;
    at: string;
    ward: string;
    quantity: number;
    minLevel: number;
    parLevel: number;
    suggestedRestock: number;
    stockLevel: { quantity: number; low: boolean; item: { id: string }; dispenser: { id: string; ward: string } };
  };
}

const ALERTS = `subscription($ward: String, $dispenserId: ID, $after: String) {
  stockLow(ward: $ward, dispenserId: $dispenserId, after: $after) {
    cursor at ward quantity minLevel parLevel suggestedRestock
    stockLevel { quantity low item { id } dispenser { id ward } }
  }
}`;

let tokens: { admin: string; pharmacist: string; tech: string; nurse: string; otherNurse: string };

beforeAll(async () => {
  const [admin, pharmacist, tech, nurse, otherNurse] = await Promise.all([
    demoToken("admin@asky.dev"),
    demoToken("pharmacist@asky.dev"),
    demoToken("tech@asky.dev"),
    demoToken("nurse@asky.dev"),
    demoToken("nurse.peds@asky.dev"),
  ]);
  tokens = { admin, pharmacist, tech, nurse, otherNurse };
});

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stocks the slot to par, then takes it below its minimum: one stock_low. */
async function crossBelowMinimum(slot: StockSlot, to: number): Promise<void> {
  const { quantity } = await adjust(slot, 40, tokens.tech);
  expect((await adjust(slot, to - quantity, tokens.tech)).low).toBe(true);
}

describe("stockLow", () => {
  it("alerts the pharmacy when an adjustment drops a level below its minimum", async () => {
    const slot = await freshSlot(WARD, tokens);
    const client = wsClient(stack.gatewayUrl, tokens.pharmacist);
    const received = subscribe<Alert>(client, ALERTS, { dispenserId: slot.dispenserId });
    await settle();
    expect((await adjust(slot, 40, tokens.tech)).low).toBe(false);
    await adjust(slot, -35, tokens.tech);
    await until(() => received.results.length >= 1, 15_000, "the stock-low alert");
    // Still low: no second crossing, no second alert.
    await adjust(slot, -1, tokens.tech);
    await settle(1_000);
    await client.dispose();

    expect(received.errors).toEqual([]);
    expect(received.results).toHaveLength(1);
    const alert = received.results[0]!.stockLow;
    expect(alert).toMatchObject({ ward: WARD, quantity: 5, minLevel: 10, parLevel: 40, suggestedRestock: 35 });
    // The level as it was when the alert was resolved, before the last adjustment.
    expect(alert.stockLevel).toEqual({
      quantity: 5,
      low: true,
      item: { id: slot.itemId },
      dispenser: { id: slot.dispenserId, ward: WARD },
    });
    expect(Date.now() - Date.parse(alert.at)).toBeLessThan(60_000);
  });

  it("keeps nurses to their own ward: FORBIDDEN for another ward's filter, nothing of it unfiltered", async () => {
    const slot = await freshSlot(WARD, tokens);
    const other = wsClient(stack.gatewayUrl, tokens.otherNurse);
    const forbidden = subscribe<Alert>(other, ALERTS, { ward: WARD });
    const unfiltered = subscribe<Alert>(other, ALERTS);
    const own = wsClient(stack.gatewayUrl, tokens.nurse);
    const ownWard = subscribe<Alert>(own, ALERTS, { dispenserId: slot.dispenserId });
    await settle();
    await crossBelowMinimum(slot, 3);
    await until(() => ownWard.results.length >= 1, 15_000, "the alert for the ward's own nurse");
    await settle(1_000);
    await other.dispose();
    await own.dispose();

    expect(JSON.stringify(forbidden.errors)).toContain("FORBIDDEN");
    expect(forbidden.results).toEqual([]);
    expect(unfiltered.errors).toEqual([]);
    expect(unfiltered.results.filter((result) => result.stockLow.ward === WARD)).toEqual([]);
    expect(ownWard.results.map((result) => result.stockLow.quantity)).toEqual([3]);
  });

  it("replays the alerts missed after a cursor, once and in order, then continues live", async () => {
    const slot = await freshSlot(WARD, tokens);
    const first = wsClient(stack.gatewayUrl, tokens.pharmacist);
    const before = subscribe<Alert>(first, ALERTS, { dispenserId: slot.dispenserId });
    await settle();
    await crossBelowMinimum(slot, 9);
    await until(() => before.results.length === 1, 15_000, "the first alert");
    const cursor = before.results[0]!.stockLow.cursor;
    await first.dispose();

    // Missed while away; each crossing also opens a RESTOCK request, so request events of other
    // fields lie between them in the stream.
    await crossBelowMinimum(slot, 8);
    await crossBelowMinimum(slot, 7);

    const second = wsClient(stack.gatewayUrl, tokens.pharmacist);
    const resumed = subscribe<Alert>(second, ALERTS, { dispenserId: slot.dispenserId, after: cursor });
    await until(() => resumed.results.length >= 2, 15_000, "the two missed alerts");
    await crossBelowMinimum(slot, 6);
    await until(() => resumed.results.length >= 3, 15_000, "a live alert after the replay");
    await settle(1_000);
    await second.dispose();

    expect(resumed.errors).toEqual([]);
    expect(resumed.results.map((result) => result.stockLow.quantity)).toEqual([8, 7, 6]);
    expect(new Set([cursor, ...resumed.results.map((result) => result.stockLow.cursor)]).size).toBe(4);
  });
});
