/**
 * What one client may hold open on a gateway replica: subscriptions per socket (also under
 * a burst of subscribe messages), subscriptions per user across sockets, sockets per user.
 * A replica with small limits, so that the limits are reached by a test and not a load run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoAccount, demoToken, eventually, gatewayMetrics } from "@asky/stack/testing";
import { changeStatus, createRequest, fixtureFor, type Fixture } from "./support/requests-api.js";
import { startExtraGateway } from "./support/extra-gateway.js";
import { RawSocket } from "./support/raw-socket.js";

const PER_SOCKET = 10;
const PER_USER = 15;
const SOCKETS_PER_USER = 2;

let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
let fixture: Fixture;
const tokens: Partial<Record<DemoAccount, string>> = {};
const sockets: RawSocket[] = [];

function open(token: string): RawSocket {
  const socket = RawSocket.open(gateway.url, token);
  sockets.push(socket);
  return socket;
}

async function activeSubscriptions(): Promise<number> {
  return Number(
    /^asky_gateway_active_subscriptions (-?\d+)$/m.exec(await gatewayMetrics(gateway.url))?.[1] ?? Number.NaN,
  );
}

beforeAll(async () => {
  gateway = await startExtraGateway({
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(PER_SOCKET),
    WS_MAX_SUBSCRIPTIONS_PER_USER: String(PER_USER),
    WS_MAX_SOCKETS_PER_USER: String(SOCKETS_PER_USER),
  });
  for (const email of ["nurse@asky.dev", "pharmacist@asky.dev", "tech@asky.dev", "nurse.peds@asky.dev"] as const)
    tokens[email] = await demoToken(email);
  fixture = await fixtureFor("UTI-ADULTO", tokens["nurse@asky.dev"]!);
}, 120_000);

afterAll(() => {
  for (const socket of sockets) socket.close();
  gateway?.stop();
});

describe("subscriptions per socket", () => {
  it("accepts exactly the limit out of 100 subscribe messages sent back to back, and frees a slot when one ends", async () => {
    const request = await createRequest(fixture, tokens["nurse@asky.dev"]!);
    const socket = open(tokens["pharmacist@asky.dev"]!);
    expect(await socket.acknowledged).toBe(true);
    const query = `subscription($id: ID!) { requestStatusChanged(requestId: $id) { status } }`;
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    for (const id of ids) socket.subscribe(id, query, { id: request.id });

    const refusedIds = () => ids.filter((id) => socket.of(id, "error").length > 0);
    await eventually(async () => refusedIds().length >= 100 - PER_SOCKET, 10_000, "the refusals");
    await eventually(
      async () => (await activeSubscriptions()) === PER_SOCKET,
      10_000,
      "the accepted subscriptions to open",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(refusedIds()).toHaveLength(100 - PER_SOCKET);
    for (const id of refusedIds()) {
      expect(socket.errorsOf(id)).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({
            code: "RATE_LIMITED",
            reason: "MAX_SUBSCRIPTIONS_PER_SOCKET",
            limit: PER_SOCKET,
          }),
        }),
      ]);
    }

    const accepted = ids.filter((id) => socket.of(id, "error").length === 0);
    await changeStatus(request, "ACCEPTED", tokens["pharmacist@asky.dev"]!);
    await eventually(
      async () => accepted.every((id) => socket.of(id, "next").length === 1),
      10_000,
      "the event on every accepted subscription",
    );

    socket.complete(accepted[0]!);
    await eventually(
      async () => (await activeSubscriptions()) === PER_SOCKET - 1,
      5_000,
      "the completed subscription to end",
    );
    socket.subscribe("again", query, { id: request.id });
    await eventually(
      async () => (await activeSubscriptions()) === PER_SOCKET,
      5_000,
      "a new subscription in the freed slot",
    );
    expect(socket.of("again", "error")).toEqual([]);
    socket.close();
    await eventually(async () => (await activeSubscriptions()) === 0, 5_000, "the socket's subscriptions to end");
  });
});

describe("per user", () => {
  it("caps one user's subscriptions across their sockets, and no one else's", async () => {
    const query = `subscription { requestEvents { type } }`;
    const first = open(tokens["tech@asky.dev"]!);
    const second = open(tokens["tech@asky.dev"]!);
    expect(await first.acknowledged).toBe(true);
    expect(await second.acknowledged).toBe(true);
    for (let i = 0; i < PER_SOCKET; i++) first.subscribe(`a${i}`, query);
    await eventually(
      async () => (await activeSubscriptions()) === PER_SOCKET,
      10_000,
      "the first socket's subscriptions",
    );
    for (let i = 0; i < PER_SOCKET; i++) second.subscribe(`b${i}`, query);
    const refused = () =>
      Array.from({ length: PER_SOCKET }, (_, i) => `b${i}`).filter((id) => second.of(id, "error").length > 0);
    await eventually(async () => refused().length >= PER_SOCKET - (PER_USER - PER_SOCKET), 10_000, "the refusals");
    await eventually(async () => (await activeSubscriptions()) === PER_USER, 10_000, "the accepted ones");
    expect(refused()).toHaveLength(PER_SOCKET - (PER_USER - PER_SOCKET));
    expect(second.errorsOf(refused()[0]!)[0]?.extensions).toMatchObject({
      code: "RATE_LIMITED",
      reason: "MAX_SUBSCRIPTIONS_PER_USER",
      limit: PER_USER,
    });

    const other = open(tokens["pharmacist@asky.dev"]!);
    expect(await other.acknowledged).toBe(true);
    other.subscribe("p", query);
    await eventually(async () => (await activeSubscriptions()) === PER_USER + 1, 10_000, "another user's subscription");
    expect(other.of("p", "error")).toEqual([]);
    for (const socket of [first, second, other]) socket.close();
    await eventually(async () => (await activeSubscriptions()) === 0, 5_000, "every subscription to end");
  });

  it("closes a user's socket beyond the per-user limit with 4430, and takes one again when another closes", async () => {
    const token = tokens["nurse.peds@asky.dev"]!;
    const held = [open(token), open(token)];
    for (const socket of held) expect(await socket.acknowledged).toBe(true);
    const extra = open(token);
    expect(await extra.acknowledged).toBe(false);
    expect(extra.closedWith).toEqual({ code: 4430, reason: "Too many connections for this user" });

    const otherUser = open(tokens["nurse@asky.dev"]!);
    expect(await otherUser.acknowledged).toBe(true);

    held[0]!.close();
    await held[0]!.closed;
    await eventually(
      async () => {
        const retry = open(token);
        if (await retry.acknowledged) return true;
        expect(retry.closedWith?.code).toBe(4430);
        return false;
      },
      5_000,
      "a socket in the freed place",
    );
  });
});
