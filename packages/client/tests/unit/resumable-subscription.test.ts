/**
 * The resumable subscription over a scripted transport: resubscribes after the last cursor
 * on every reconnect, delivers each event once, refreshes on 4401, and on RESYNC_REQUIRED
 * starts from now and tells the app.
 */
import { describe, expect, it } from "vitest";
import { AskyClientError } from "../../src/errors.js";
import { inProcessLock } from "../../src/refresh-lock.js";
import { Session } from "../../src/session.js";
import { resumableSubscription } from "../../src/subscriptions/resumable-subscription.js";
import type { SubscriptionTransport, TransportSink } from "../../src/subscriptions/transport.js";
import { memoryTokens, type Tokens } from "../../src/tokens.js";

const cursor = (seq: number) => Buffer.from(`seq:${seq}`, "utf8").toString("base64url");
const event = (seq: number) => ({ data: { requestEvents: { cursor: cursor(seq), status: `S${seq}` } } });

function tokens(generation: number): Tokens {
  return {
    accessToken: `access-${generation}`,
    refreshToken: `refresh-${generation}`,
    accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    viewer: { id: "u1", role: "NURSE", ward: "UTI-ADULTO", fullName: "Ana", nickname: "ana" },
  };
}

/** Each subscribe is one "connection": the test drives its sink. */
function scriptedTransport(session: Session) {
  const connections: { after: unknown; token: string | null; sink: TransportSink; disposed: boolean }[] = [];
  const transport: SubscriptionTransport = {
    subscribe(payload, sink) {
      const connection = {
        after: payload.variables?.after,
        token: session.tokens()?.accessToken ?? null,
        sink,
        disposed: false,
      };
      connections.push(connection);
      return { dispose: () => void (connection.disposed = true), token: () => connection.token };
    },
    dispose() {},
  };
  return { transport, connections };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
};

function setUp(exchange = (token: string) => Promise.resolve(tokens(Number(token.split("-")[1]) + 1))) {
  const exchanged: string[] = [];
  const session = new Session({
    storage: memoryTokens(tokens(1)),
    lock: inProcessLock(),
    lockName: "test",
    refreshBeforeExpiryMs: 0,
    now: () => Date.now(),
    exchange: (token) => (exchanged.push(token), exchange(token)),
  });
  const { transport, connections } = scriptedTransport(session);
  const received: string[] = [];
  const resyncs: AskyClientError[] = [];
  const errors: AskyClientError[] = [];
  const stop = resumableSubscription<{ requestEvents: { status: string } }>({
    transport,
    session,
    payload: (after) => ({ query: "subscription", variables: { after } }),
    persisted: false,
    rootField: "requestEvents",
    initialAfter: null,
    observer: {
      next: (data) => received.push(data.requestEvents.status),
      resync: (error) => resyncs.push(error),
      error: (error) => errors.push(error),
    },
    reconnect: { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 1, maxDelayMs: 2 },
  });
  return { connections, received, resyncs, errors, exchanged, stop, session };
}

describe("resumableSubscription", () => {
  it("resumes after the last cursor on a reconnect and delivers each event once", async () => {
    const { connections, received, stop } = setUp();
    await until(() => connections.length === 1);
    expect(connections[0]!.after).toBeNull();
    connections[0]!.sink.next(event(3));
    connections[0]!.sink.next(event(5));
    connections[0]!.sink.error({ code: 1006, reason: "" });
    await until(() => connections.length === 2);
    expect(connections[0]!.disposed).toBe(true);
    expect(connections[1]!.after).toBe(cursor(5));
    // The replay overlaps what was delivered (a transport that replays more than asked).
    for (const seq of [3, 5, 7, 8]) connections[1]!.sink.next(event(seq));
    // A late event of the dead connection is ignored.
    connections[0]!.sink.next(event(9));
    expect(received).toEqual(["S3", "S5", "S7", "S8"]);
    stop();
  });

  it("refreshes once after close 4401 and resumes with the new token", async () => {
    const { connections, exchanged, received, stop } = setUp();
    await until(() => connections.length === 1);
    connections[0]!.sink.next(event(1));
    connections[0]!.sink.error({ code: 4401, reason: "Access token expired; reconnect with a fresh one" });
    await until(() => connections.length === 2);
    expect(exchanged).toEqual(["refresh-1"]);
    expect(connections[1]).toMatchObject({ token: "access-2", after: cursor(1) });
    connections[1]!.sink.next(event(2));
    expect(received).toEqual(["S1", "S2"]);
    stop();
  });

  it("ends with the error when the refresh is refused", async () => {
    const { connections, errors } = setUp(() => Promise.reject(new AskyClientError("UNAUTHENTICATED", "revoked")));
    await until(() => connections.length === 1);
    connections[0]!.sink.error({ code: 4401, reason: "Session ended; sign in again" });
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe("UNAUTHENTICATED");
    expect(connections).toHaveLength(1);
  });

  it("on RESYNC_REQUIRED subscribes from now, then asks the app to reload", async () => {
    const { connections, received, resyncs, stop } = setUp();
    await until(() => connections.length === 1);
    connections[0]!.sink.next(event(4));
    connections[0]!.sink.next({
      errors: [{ message: "cannot replay", extensions: { code: "BAD_USER_INPUT", reason: "RESYNC_REQUIRED" } }],
    });
    await until(() => connections.length === 2);
    expect(resyncs.map((error) => error.reason)).toEqual(["RESYNC_REQUIRED"]);
    expect(connections[1]!.after).toBeNull();
    connections[1]!.sink.next(event(2));
    expect(received).toEqual(["S4", "S2"]);
    stop();
  });

  it("gives up on a refusal such as FORBIDDEN, and stops when asked", async () => {
    const { connections, errors } = setUp();
    await until(() => connections.length === 1);
    connections[0]!.sink.error([{ message: "not your ward", extensions: { code: "FORBIDDEN" } }]);
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe("FORBIDDEN");
    const second = setUp();
    await until(() => second.connections.length === 1);
    second.stop();
    second.connections[0]!.sink.error({ code: 1006, reason: "" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second.connections).toHaveLength(1);
    expect(second.connections[0]!.disposed).toBe(true);
  });
});
