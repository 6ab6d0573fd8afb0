/**
 * What POST /graphql/stream does with what a well-behaved graphql-sse client never sends:
 * every refusal is coded (a JSON error before the stream is accepted, a `next` error and
 * `complete` after), nothing crashes, and many streams at once from one user meet the same
 * per-user connection quota as WebSockets, shared with them.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoToken, eventually, gatewayMetrics, testStack } from "@asky/stack/testing";
import { startExtraGateway } from "./support/extra-gateway.js";
import { RawSocket } from "./support/raw-socket.js";
import { parseEventStream, sseClient, sseSubscribe, streamErrors, streamUrl } from "./support/sse-client.js";
import { until } from "./support/ws-client.js";

const stack = testStack();
const BOARD = `subscription { requestEvents { type } }`;
let nurse: string;

beforeAll(async () => {
  nurse = await demoToken("nurse@asky.dev");
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function post(body: string | Uint8Array, headers: Record<string, string>, url = stack.gatewayUrl) {
  const response = await fetch(streamUrl(url), { method: "POST", headers, body });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text: await response.text(),
  } satisfies Answer;
}

const streamHeaders = (token: string | null = nurse): Record<string, string> => ({
  accept: "text/event-stream",
  "content-type": "application/json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/** A refusal on an accepted stream: 200, one `next` with the coded error, then `complete`. */
function refusedInStream(answer: Answer): { code: unknown; reason: unknown } {
  expect(answer.status).toBe(200);
  expect(answer.contentType).toContain("text/event-stream");
  const events = parseEventStream(answer.text);
  expect(events.map((event) => event.event)).toEqual(["next", "complete"]);
  const [error] = streamErrors(events);
  return error!;
}

function jsonError(answer: Answer): { code: unknown; reason: unknown } {
  const body = JSON.parse(answer.text) as { errors: { extensions: { code: unknown; reason: unknown } }[] };
  return { code: body.errors[0]!.extensions.code, reason: body.errors[0]!.extensions.reason };
}

/** A stream read in the background: its text so far, and whether it has ended. */
function openStream(url: string, signal: AbortSignal): { text: string; ended: boolean } {
  const state = { text: "", ended: false };
  void (async () => {
    try {
      const response = await fetch(streamUrl(url), {
        method: "POST",
        headers: streamHeaders(),
        body: JSON.stringify({ query: BOARD }),
        signal,
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) state.text += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // Aborted at the end of the test.
    }
    state.ended = true;
  })();
  return state;
}

describe("malformed stream requests", () => {
  it("answers GET, PUT and DELETE with 405, and a POST that does not accept an event stream with 406", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await fetch(streamUrl(stack.gatewayUrl), {
        method,
        headers: { authorization: `Bearer ${nurse}` },
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(jsonError({ status: 405, contentType: "", text: await response.text() })).toEqual({
        code: "BAD_USER_INPUT",
        reason: "METHOD_NOT_ALLOWED",
      });
    }
    const notAccepting = await post(JSON.stringify({ query: BOARD }), {
      "content-type": "application/json",
      authorization: `Bearer ${nurse}`,
    });
    expect(notAccepting.status).toBe(406);
    expect(jsonError(notAccepting)).toEqual({ code: "BAD_USER_INPUT", reason: "NOT_ACCEPTABLE" });
  });

  it("refuses bad bodies with coded errors on the stream", async () => {
    const cases: [string | Uint8Array, Record<string, string>, string][] = [
      ["{not json", streamHeaders(), "INVALID_JSON"],
      ["", streamHeaders(), "INVALID_JSON"],
      ["[1,2]", streamHeaders(), "INVALID_REQUEST"],
      ["null", streamHeaders(), "INVALID_REQUEST"],
      [JSON.stringify({ variables: {} }), streamHeaders(), "MISSING_QUERY"],
      [JSON.stringify({ query: 42 }), streamHeaders(), "MISSING_QUERY"],
      [JSON.stringify({ query: BOARD, variables: "x" }), streamHeaders(), "INVALID_REQUEST"],
      [JSON.stringify({ query: BOARD, extensions: [1] }), streamHeaders(), "INVALID_REQUEST"],
      [JSON.stringify({ query: BOARD, operationName: 7 }), streamHeaders(), "INVALID_REQUEST"],
      [
        JSON.stringify({ query: BOARD }),
        { ...streamHeaders(), "content-type": "text/plain" },
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      // Over the signed-in HTTP body limit (MAX_BODY_BYTES, 1 MB by default).
      [new Uint8Array(3 * 1024 * 1024).fill(32), streamHeaders(), "MAX_BODY_BYTES"],
    ];
    for (const [body, headers, reason] of cases) {
      expect(refusedInStream(await post(body, headers)), reason).toEqual({ code: "BAD_USER_INPUT", reason });
    }
  });

  it("refuses invalid or over-limit operations with BAD_USER_INPUT, as over a WebSocket", async () => {
    const deep = `subscription { requestEvents { request { requester { requests { edges { node { requester { requests { edges { node { requester { requests { edges { node { id } } } } } } } } } } } } } }`;
    for (const query of [
      "subscription {",
      "subscription { nope }",
      deep,
      `subscription { a: requestEvents { type } b: requestEvents { type } }`,
    ]) {
      const error = refusedInStream(await post(JSON.stringify({ query }), streamHeaders()));
      expect(error.code, query).toBe("BAD_USER_INPUT");
    }
  });

  it("keeps serving after a client leaves in the middle of its body", async () => {
    const gateway = await startExtraGateway();
    try {
      const { port, hostname } = new URL(gateway.url);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(
            [
              "POST /graphql/stream HTTP/1.1",
              `Host: ${hostname}:${port}`,
              "Accept: text/event-stream",
              "Content-Type: application/json",
              `Authorization: Bearer ${nurse}`,
              "Content-Length: 100000",
              "",
              '{"query":"subscription { requestEvents',
            ].join("\r\n"),
          );
          // Once the gateway has begun reading the body (it does after the token check).
          setTimeout(() => socket.destroy(), 500);
        });
        socket.on("close", () => resolve());
        socket.on("error", reject);
      });
      const client = sseClient(gateway.url, nurse);
      const received = sseSubscribe(client, BOARD);
      await until(() => received.connected, 15_000, "a stream afterwards");
      client.dispose();
      expect(gateway.process.exitCode).toBeNull();
    } finally {
      gateway.stop();
    }
  }, 60_000);

  it("keeps serving streams afterwards", async () => {
    const client = sseClient(stack.gatewayUrl, nurse);
    const received = sseSubscribe(client, BOARD);
    await until(() => received.connected, 15_000, "a stream");
    expect(received.errors).toEqual([]);
    expect(received.completed).toBe(false);
    client.dispose();
    expect((await fetch(new URL("/health", stack.gatewayUrl))).status).toBe(200);
  });
});

describe("many streams from one user", () => {
  const SOCKETS_PER_USER = 3;
  let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
  const controllers: AbortController[] = [];
  let socket: RawSocket | null = null;

  beforeAll(async () => {
    gateway = await startExtraGateway({ WS_MAX_SOCKETS_PER_USER: String(SOCKETS_PER_USER) });
  }, 120_000);

  afterAll(() => {
    for (const controller of controllers) controller.abort();
    socket?.close();
    gateway?.stop();
  });

  const openStreams = async () =>
    Number(/^asky_gateway_active_event_streams (-?\d+)$/m.exec(await gatewayMetrics(gateway.url))?.[1] ?? NaN);

  function open(): { text: string; ended: boolean } {
    const controller = new AbortController();
    controllers.push(controller);
    return openStream(gateway.url, controller.signal);
  }

  it("admits the quota's worth of ten streams opened at once, refuses the rest with MAX_SOCKETS_PER_USER, shares the quota with WebSockets", async () => {
    const streams = Array.from({ length: 10 }, () => open());
    const refused = () => streams.filter((stream) => stream.text.includes("event: complete"));
    await until(() => refused().length === 10 - SOCKETS_PER_USER, 20_000, "the refusals");
    await eventually(async () => (await openStreams()) === SOCKETS_PER_USER, 15_000, "the admitted streams");
    for (const stream of refused()) {
      expect(streamErrors(parseEventStream(stream.text))).toEqual([
        { code: "RATE_LIMITED", reason: "MAX_SOCKETS_PER_USER" },
      ]);
    }
    expect(streams.filter((stream) => stream.ended).length).toBe(10 - SOCKETS_PER_USER);

    // The same quota: a WebSocket of hers is closed as one too many.
    socket = RawSocket.open(gateway.url, nurse);
    expect(await socket.acknowledged).toBe(false);
    expect(socket.closedWith?.code).toBe(4430);

    // A stream that ends gives its place back.
    for (const controller of controllers) controller.abort();
    await eventually(async () => (await openStreams()) === 0, 15_000, "the streams to close");
    const again = sseClient(gateway.url, nurse);
    const received = sseSubscribe(again, BOARD);
    await until(() => received.connected, 15_000, "a stream after the others closed");
    expect(received.errors).toEqual([]);
    again.dispose();
  }, 60_000);
});

describe("a user past her request allowance", () => {
  let gateway: Awaited<ReturnType<typeof startExtraGateway>>;
  const controllers: AbortController[] = [];
  beforeAll(async () => {
    gateway = await startExtraGateway({ RATE_LIMIT_USER_BURST: "5", RATE_LIMIT_USER_PER_SECOND: "1" });
  }, 120_000);
  afterAll(() => {
    for (const controller of controllers) controller.abort();
    gateway?.stop();
  });

  it("has her further streams refused with RATE_LIMITED (USER_RATE_LIMIT): streams draw on the allowance HTTP requests draw on", async () => {
    const streams = Array.from({ length: 10 }, () => {
      const controller = new AbortController();
      controllers.push(controller);
      return openStream(gateway.url, controller.signal);
    });
    const refused = () => streams.filter((stream) => stream.text.includes("event: complete"));
    // Five tokens (fewer when replicas share them), and each stream takes two (its connection,
    // its subscribe): two are admitted, three if a token comes back while the ten arrive.
    await until(() => refused().length >= 6, 20_000, "the refusals");
    for (const stream of refused()) {
      expect(streamErrors(parseEventStream(stream.text))).toEqual([
        { code: "RATE_LIMITED", reason: "USER_RATE_LIMIT" },
      ]);
    }
  });
});
