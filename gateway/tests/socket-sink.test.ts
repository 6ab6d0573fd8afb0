/**
 * The sink that writes subscription payloads, on a real WebSocket over loopback TCP:
 * frames are valid graphql-transport-ws `next` messages, one fan-out leaves each socket in
 * one write, and a client that stops reading is cut off at the byte limit.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { serializePayload } from "../src/subscriptions/next-frame.js";
import { socketSink } from "../src/subscriptions/socket-sink.js";

interface Pair { server: WebSocket; transport: Socket; client: WebSocket; received: string[] }
const closers: (() => Promise<void>)[] = [];

async function pair(): Promise<Pair> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  const accepted = new Promise<{ server: WebSocket; transport: Socket }>((resolve) =>
    wss.once("connection", (server, request) => resolve({ server, transport: request.socket as Socket })));
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

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("socketSink", () => {
  it("writes graphql-transport-ws next messages around the shared payload", async () => {
    const { server, transport, received } = await pair();
    const payload = serializePayload({ data: { requestEvents: { status: "ACCEPTED", note: "ção \"quoted\"" } } });
    socketSink(server, transport, "sub-1", 1 << 20).send(payload);
    socketSink(server, transport, 'odd"id', 1 << 20).send(payload);
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received.map((text) => JSON.parse(text))).toEqual([
      { id: "sub-1", type: "next", payload: { data: { requestEvents: { status: "ACCEPTED", note: "ção \"quoted\"" } } } },
      { id: 'odd"id', type: "next", payload: { data: { requestEvents: { status: "ACCEPTED", note: "ção \"quoted\"" } } } },
    ]);
  });

  it("sends one fan-out's frames for a socket in a single write", async () => {
    const { server, transport, received } = await pair();
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
    for (let i = 0; i < 50; i++) socketSink(server, transport, `s${i}`, 1 << 20).send(payload);
    await nextTurn();
    for (let i = 0; i < 100 && received.length < 50; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toHaveLength(50);
    expect(writes).toBe(1);
  });

  it("refuses once a client that stopped reading has the byte limit waiting, and not before", async () => {
    const limit = 256 * 1024;
    const payload = serializePayload({ data: { text: "x".repeat(4096) } });

    const reading = await pair();
    const readingSink = socketSink(reading.server, reading.transport, "a", limit);
    const stalled = await pair();
    const stalledSink = socketSink(stalled.server, stalled.transport, "b", limit);
    // The stalled client's process stops reading its socket: the kernel's buffers fill, then ours.
    (stalled.client as unknown as { _socket: Socket })._socket.pause();

    let stalledRefusedAt = -1;
    for (let batch = 0; batch < 2_000 && stalledRefusedAt < 0; batch++) {
      for (let i = 0; i < 16; i++) expect(readingSink.send(payload)).toBe(true);
      for (let i = 0; i < 16 && stalledRefusedAt < 0; i++) if (!stalledSink.send(payload)) stalledRefusedAt = batch;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(stalledRefusedAt).toBeGreaterThan(0);
    expect(stalled.server.bufferedAmount).toBeGreaterThan(limit);
    expect(reading.server.bufferedAmount).toBeLessThanOrEqual(limit);
  });
});
