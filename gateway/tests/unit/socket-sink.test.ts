/**
 * The sink that writes subscription payloads, on a real WebSocket over loopback TCP:
 * frames are valid graphql-transport-ws `next` messages, one fan-out leaves each socket in
 * one write, a client that stops reading is cut off at the byte limit, and the close frame
 * that cuts it off is not queued behind what it never read.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { nextFrame, serializePayload } from "../../src/subscriptions/next-frame.js";
import { socketSink } from "../../src/subscriptions/socket-sink.js";
import { SocketOutbox } from "../../src/subscriptions/socket-outbox.js";

interface Pair {
  server: WebSocket;
  transport: Socket;
  client: WebSocket;
  received: string[];
}
const closers: (() => Promise<void>)[] = [];

async function pair(): Promise<Pair> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  const accepted = new Promise<{ server: WebSocket; transport: Socket }>((resolve) =>
    wss.once("connection", (server, request) => resolve({ server, transport: request.socket as Socket })),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on("message", (data: Buffer) => received.push(data.toString("utf8")));
  await once(client, "open");
  const { server, transport } = await accepted;
  closers.push(async () => {
    client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  return { server, transport, client, received };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function outboxOf(p: Pair, limit: number): SocketOutbox {
  return new SocketOutbox(p.server, p.transport, limit);
}

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("socketSink", () => {
  it("writes graphql-transport-ws next messages around the shared payload", async () => {
    const p = await pair();
    const { received } = p;
    const outbox = outboxOf(p, 1 << 20);
    const payload = serializePayload({ data: { requestEvents: { status: "ACCEPTED", note: 'ção "quoted"' } } });
    socketSink(outbox, "sub-1").send(payload);
    socketSink(outbox, 'odd"id').send(payload);
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received.map((text) => JSON.parse(text))).toEqual([
      { id: "sub-1", type: "next", payload: { data: { requestEvents: { status: "ACCEPTED", note: 'ção "quoted"' } } } },
      {
        id: 'odd"id',
        type: "next",
        payload: { data: { requestEvents: { status: "ACCEPTED", note: 'ção "quoted"' } } },
      },
    ]);
  });

  it("sends one fan-out's frames for a socket in a single write", async () => {
    const p = await pair();
    const { transport, received } = p;
    const outbox = outboxOf(p, 1 << 20);
    let writes = 0;
    for (const method of ["_write", "_writev"] as const) {
      const original = (transport[method] as ((...args: unknown[]) => void) | undefined)?.bind(transport);
      if (!original) continue;
      (transport as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        writes += 1;
        original(...args);
      };
    }
    const payload = serializePayload({ data: { n: 1 } });
    for (let i = 0; i < 50; i++) socketSink(outbox, `s${i}`).send(payload);
    await nextTurn();
    for (let i = 0; i < 100 && received.length < 50; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toHaveLength(50);
    expect(writes).toBe(1);
  });

  it("refuses once a client that stopped reading has the byte limit waiting, and not before", async () => {
    const limit = 256 * 1024;
    const payload = serializePayload({ data: { text: "x".repeat(4096) } });

    const reading = await pair();
    const readingOutbox = outboxOf(reading, limit);
    const readingSink = socketSink(readingOutbox, "a");
    const stalled = await pair();
    const stalledOutbox = outboxOf(stalled, limit);
    const stalledSink = socketSink(stalledOutbox, "b");
    // The stalled client's process stops reading its socket: the kernel's buffers fill, then ours.
    (stalled.client as unknown as { _socket: Socket })._socket.pause();

    let stalledRefusedAt = -1;
    for (let batch = 0; batch < 2_000 && stalledRefusedAt < 0; batch++) {
      for (let i = 0; i < 16; i++) expect(readingSink.send(payload)).toBe(true);
      for (let i = 0; i < 16 && stalledRefusedAt < 0; i++) if (!stalledSink.send(payload)) stalledRefusedAt = batch;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(stalledRefusedAt).toBeGreaterThan(0);
    expect(stalledOutbox.bufferedBytes).toBeGreaterThan(limit - 8 * 1024);
    expect(readingOutbox.bufferedBytes).toBeLessThanOrEqual(limit);
    // Beyond what the kernel took, the socket itself holds little: the rest waits where it can be dropped.
    expect(stalled.server.bufferedAmount).toBeLessThan(256 * 1024);
  });

  it("lets a cut-off client read the close frame right after what the kernel already holds", async () => {
    const limit = 2 * 1024 * 1024;
    const payload = serializePayload({ data: { text: "x".repeat(4096) } });
    const frameBytes = Buffer.byteLength(nextFrame("b")(payload));
    const stalled = await pair();
    const outbox = outboxOf(stalled, limit);
    const sink = socketSink(outbox, "b");
    const clientSocket = (stalled.client as unknown as { _socket: Socket })._socket;
    clientSocket.pause();
    let sentBytes = 0;
    let refused = false;
    for (let batch = 0; batch < 4_000 && !refused; batch++) {
      for (let i = 0; i < 16 && !refused; i++) {
        if (sink.send(payload)) sentBytes += frameBytes;
        else refused = true;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(refused).toBe(true);
    const dropped = outbox.bufferedBytes - stalled.server.bufferedAmount;
    outbox.discard();
    stalled.server.close(1008, "Subscriber is not reading; buffer limit reached");

    let receivedBytes = 0;
    stalled.client.on("message", (data: Buffer) => (receivedBytes += data.length));
    const closed = new Promise<number>((resolve) => stalled.client.once("close", (code: number) => resolve(code)));
    clientSocket.resume();
    expect(await closed).toBe(1008);
    // Every frame handed to the socket arrives, then the close frame; the dropped ones never do.
    expect(dropped).toBeGreaterThan(limit / 2);
    expect(receivedBytes).toBe(sentBytes - dropped);
  });
});
