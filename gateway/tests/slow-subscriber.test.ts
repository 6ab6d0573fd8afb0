/**
 * A client that stops reading its socket (a frozen tab, a phone in a lift) while events keep
 * coming: the gateway cuts it off at its byte budget with 1008, and that close frame reaches
 * the client as soon as it reads again, right after what the kernel buffers already held —
 * not behind the budget's worth of payloads it will never need.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gatewayMetrics } from "@asky/stack/testing";
import { createRequest, type Fixture } from "./support/requests-api.js";
import { wardTeam } from "./support/ward-team.js";
import { startExtraGateway } from "./support/extra-gateway.js";
import { RawSocket } from "./support/raw-socket.js";

/** Several times what loopback's kernel buffers hold (about 4 MiB here), so the two are told apart. */
const BUDGET = 16 * 1024 * 1024;
const SUBSCRIPTIONS = 400;

const BOARD = `subscription($dispenserId: ID) {
  requestEvents(dispenserId: $dispenserId) {
    cursor type previousStatus status at
    request {
      id number kind priority status version note totalCost createdAt updatedAt
      requester { id fullName nickname role ward }
      dispenser { id code name ward floor location status }
      items { quantity item { id name unit unitCost } }
    }
  }
}`;

let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
let fixture: Fixture;
let nurse: string;
let pharmacist: string;
let socket: RawSocket | null = null;

async function activeSubscriptions(): Promise<number> {
  return Number(
    /^asky_gateway_active_subscriptions (-?\d+)$/m.exec(await gatewayMetrics(gateway.url))?.[1] ?? Number.NaN,
  );
}

beforeAll(async () => {
  ({ fixture, nurse, pharmacist } = await wardTeam());
  gateway = await startExtraGateway({
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(SUBSCRIPTIONS),
    WS_MAX_BUFFERED_BYTES: String(BUDGET),
    // Not the keep-alive's business here: the client stays silent on purpose.
    WS_PING_INTERVAL_SECONDS: "600",
  });
}, 120_000);

afterAll(() => {
  socket?.close();
  gateway?.stop();
});

describe("a client that stops reading", () => {
  it("is closed with 1008, which it reads right after what the kernel already held", async () => {
    socket = RawSocket.open(gateway.url, pharmacist, { keepNext: false });
    expect(await socket.acknowledged).toBe(true);
    for (let i = 0; i < SUBSCRIPTIONS; i++) socket.subscribe(`s${i}`, BOARD, { dispenserId: fixture.dispenserId });
    await eventually(async () => (await activeSubscriptions()) === SUBSCRIPTIONS, 15_000, "the subscriptions to open");

    socket.pauseReading();
    let events = 0;
    while ((await activeSubscriptions()) > 0) {
      if (events >= 300) throw new Error(`the gateway never cut the client off after ${events} events`);
      await createRequest(fixture, nurse);
      events += 1;
    }
    expect(socket.closedWith).toBeNull();

    const before = socket.receivedBytes;
    socket.resumeReading();
    const closed = await Promise.race([
      socket.closed,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
    ]);
    expect(closed).toEqual({ code: 1008, reason: "Subscriber is not reading; buffer limit reached" });
    const readAfterwards = socket.receivedBytes - before;
    // What the kernel held (a few MiB), not the budget's worth on top of it.
    expect(readAfterwards).toBeLessThan(BUDGET / 2);
  }, 120_000);
});
