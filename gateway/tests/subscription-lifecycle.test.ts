/**
 * A long-lived socket (a ward tablet left open all shift) opens and ends many subscriptions:
 * ended ones must give back their slot and leave nothing attached to the socket.
 */
import { afterAll, describe, expect, it } from "vitest";
import { demoToken, eventually, gatewayMetrics } from "@asky/stack/testing";
import { startExtraGateway } from "./support/extra-gateway.js";
import { subscribe, wsClient } from "./support/ws-client.js";

let gateway: Awaited<ReturnType<typeof startExtraGateway>> | null = null;
afterAll(() => gateway?.stop());

async function activeSubscriptions(url: string): Promise<number> {
  const text = await gatewayMetrics(url);
  return Number(/^asky_gateway_active_subscriptions (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

describe("subscriptions on one long-lived socket", () => {
  it("release their slot and their listeners when they end", async () => {
    gateway = await startExtraGateway();
    const client = wsClient(gateway.url, await demoToken("pharmacist@asky.dev"));
    for (let round = 0; round < 60; round++) {
      const stream = subscribe(client, `subscription { requestEvents(ward: "UTI-ADULTO") { type } }`);
      await eventually(
        async () => (await activeSubscriptions(gateway!.url)) === 1,
        5_000,
        `subscription ${round} to open`,
      );
      expect(stream.errors).toEqual([]);
      stream.stop();
      await eventually(
        async () => (await activeSubscriptions(gateway!.url)) === 0,
        5_000,
        `subscription ${round} to end`,
      );
    }
    expect(await activeSubscriptions(gateway.url)).toBe(0);
    await client.dispose();
    expect(gateway.stderr()).not.toContain("MaxListenersExceededWarning");
  }, 120_000);
});
