/**
 * The connection state a subscription reports, over a scripted transport: connecting, then
 * connected when the transport says so (not when an event happens to arrive), reconnecting
 * on a loss or a token refresh, connected again when the new transport is up, closed when
 * stopped or refused; `subscribed` only when the transport confirms the subscription.
 */
import { describe, expect, it } from "vitest";
import { AskyClientError } from "../../src/errors.js";
import { inProcessLock } from "../../src/refresh-lock.js";
import { Session } from "../../src/session.js";
import { resumableSubscription, type ConnectionState } from "../../src/subscriptions/resumable-subscription.js";
import type { SubscriptionTransport, TransportSink } from "../../src/subscriptions/transport.js";
import { memoryTokens, type Tokens } from "../../src/tokens.js";

function tokens(generation: number): Tokens {
  return {
    accessToken: `access-${generation}`,
    refreshToken: `refresh-${generation}`,
    accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    viewer: { id: "u1", role: "NURSE", ward: "UTI-ADULTO", fullName: "Ana", nickname: "ana" },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
};

function setUp(
  exchange: (token: string) => Promise<Tokens> = (token) => Promise.resolve(tokens(Number(token.split("-")[1]) + 1)),
) {
  const session = new Session({
    storage: memoryTokens(tokens(1)),
    lock: inProcessLock(),
    lockName: "test",
    refreshBeforeExpiryMs: 0,
    now: () => Date.now(),
    exchange,
  });
  const sinks: TransportSink[] = [];
  const transport: SubscriptionTransport = {
    subscribe(_payload, sink) {
      sinks.push(sink);
      return { dispose: () => undefined, token: () => session.tokens()?.accessToken ?? null };
    },
    dispose() {},
  };
  const states: ConnectionState[] = [];
  let subscribed = 0;
  const errors: AskyClientError[] = [];
  const stop = resumableSubscription<{ requestEvents: { cursor: string } }>({
    transport,
    session,
    payload: (after) => ({ query: "subscription", variables: { after } }),
    persisted: false,
    rootField: "requestEvents",
    initialAfter: null,
    observer: {
      next: () => undefined,
      error: (error) => errors.push(error),
      connection: (state) => states.push(state),
      subscribed: () => subscribed++,
    },
    reconnect: { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 1, maxDelayMs: 2 },
  });
  return { sinks, states, stop, errors, subscribed: () => subscribed };
}

describe("connection state of a subscription", () => {
  it("goes connecting → connected → reconnecting → connected → closed, each change once", async () => {
    const { sinks, states, stop } = setUp();
    expect(states).toEqual(["connecting"]);
    await until(() => sinks.length === 1);
    sinks[0]!.connected!(false);
    sinks[0]!.connected!(false);
    expect(states).toEqual(["connecting", "connected"]);
    sinks[0]!.error({ code: 1006, reason: "" });
    await until(() => sinks.length === 2);
    // Reconnecting until the new transport says it is up, with no event needed.
    expect(states).toEqual(["connecting", "connected", "reconnecting"]);
    sinks[1]!.connected!(false);
    expect(states).toEqual(["connecting", "connected", "reconnecting", "connected"]);
    stop();
    expect(states.at(-1)).toBe("closed");
  });

  it("is reconnecting while the token is refreshed after 4401, connected after", async () => {
    const { sinks, states, stop } = setUp();
    await until(() => sinks.length === 1);
    sinks[0]!.connected!(false);
    sinks[0]!.error({ code: 4401, reason: "Access token expired; reconnect with a fresh one" });
    await until(() => sinks.length === 2);
    sinks[1]!.connected!(false);
    expect(states).toEqual(["connecting", "connected", "reconnecting", "connected"]);
    stop();
  });

  it("ignores a connected signal of a transport already replaced", async () => {
    const { sinks, states, stop } = setUp();
    await until(() => sinks.length === 1);
    sinks[0]!.error({ code: 1006, reason: "" });
    await until(() => sinks.length === 2);
    sinks[0]!.connected!(true);
    expect(states).toEqual(["connecting", "reconnecting"]);
    stop();
  });

  it("closes for good on a refusal, and says nothing more", async () => {
    const { sinks, states, errors } = setUp(() => Promise.reject(new AskyClientError("UNAUTHENTICATED", "revoked")));
    await until(() => sinks.length === 1);
    sinks[0]!.connected!(false);
    sinks[0]!.error({ code: 4401, reason: "Session ended; sign in again" });
    await until(() => errors.length === 1);
    sinks[0]!.connected!(false);
    expect(states).toEqual(["connecting", "connected", "reconnecting", "closed"]);
  });

  it("tells `subscribed` only when the transport confirms the subscription (SSE)", async () => {
    const ws = setUp();
    await until(() => ws.sinks.length === 1);
    ws.sinks[0]!.connected!(false);
    expect(ws.subscribed()).toBe(0);
    ws.stop();
    const sse = setUp();
    await until(() => sse.sinks.length === 1);
    sse.sinks[0]!.connected!(true);
    expect(sse.subscribed()).toBe(1);
    expect(sse.states).toEqual(["connecting", "connected"]);
    sse.stop();
  });
});
