/**
 * What the client's tests put between the client and the real gateway: a fetch that counts
 * operations by name (and can lose an answer), and a WebSocket class that records its sockets
 * and frames and can be taken offline.
 */
import WebSocket from "ws";
import type { FetchLike } from "../../src/http-operation.js";

export interface CountingFetch {
  fetch: FetchLike;
  /** operationName of every POST, in order. */
  operations: string[];
  bodies: { operationName?: string; variables?: Record<string, unknown>; query?: string; extensions?: unknown }[];
  count(operationName: string): number;
  /** The next POSTs of `operationName` reach the server, whose answer is then thrown away. */
  loseAnswers(operationName: string, times?: number): void;
}

export function countingFetch(): CountingFetch {
  const operations: string[] = [];
  const bodies: CountingFetch["bodies"] = [];
  const losing = new Map<string, number>();
  const fetch: FetchLike = async (input, init) => {
    const body = JSON.parse(String(init.body)) as CountingFetch["bodies"][number];
    const name = body.operationName ?? "";
    operations.push(name);
    bodies.push(body);
    const response = await globalThis.fetch(input, init);
    const toLose = losing.get(name) ?? 0;
    if (toLose > 0) {
      losing.set(name, toLose - 1);
      // The server did the work; the client never hears of it (Wi-Fi gone mid-answer).
      await response.text();
      throw new TypeError("fetch failed", { cause: new Error("read ECONNRESET") });
    }
    return response;
  };
  return {
    fetch,
    operations,
    bodies,
    count: (operationName) => operations.filter((name) => name === operationName).length,
    loseAnswers: (operationName, times = 1) => void losing.set(operationName, times),
  };
}

export interface SocketControl {
  /** The class to pass as webSocketImpl. */
  WebSocket: unknown;
  /** Every socket opened, with the close code it ended with (null while open). */
  sockets: { socket: WebSocket; closeCode: number | null; sent: string[] }[];
  /** While offline, new sockets fail to connect. */
  offline: boolean;
  /** Kills every open socket abruptly (no close frame), as a dropped network does. */
  killAll(): void;
  /** The payloads of every `subscribe` frame sent, oldest first. */
  subscribes(): { variables?: Record<string, unknown>; extensions?: unknown; query?: string }[];
}

export function socketControl(): SocketControl {
  const control: SocketControl = {
    WebSocket: null,
    sockets: [],
    offline: false,
    killAll() {
      for (const entry of control.sockets) if (entry.closeCode === null) entry.socket.terminate();
    },
    subscribes() {
      return control.sockets
        .flatMap((entry) => entry.sent)
        .map((frame) => JSON.parse(frame) as { type: string; payload?: Record<string, unknown> })
        .filter((message) => message.type === "subscribe")
        .map((message) => message.payload as ReturnType<SocketControl["subscribes"]>[number]);
    },
  };
  class RecordedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      // Port 1 on loopback refuses: the connection fails as it would with the network down.
      super(control.offline ? "ws://127.0.0.1:1/graphql" : url, protocols);
      const entry = { socket: this as WebSocket, closeCode: null as number | null, sent: [] as string[] };
      control.sockets.push(entry);
      this.on("close", (code) => (entry.closeCode = code));
      const send = this.send.bind(this);
      this.send = ((data: string, ...rest: unknown[]) => {
        entry.sent.push(String(data));
        return (send as (...args: unknown[]) => void)(data, ...rest);
      }) as WebSocket["send"];
    }
  }
  control.WebSocket = RecordedWebSocket;
  return control;
}

export interface StreamControl {
  /** The fetch to pass to the client: it records SSE streams and can cut them. */
  fetch: FetchLike;
  /** While offline, new requests fail as with the network down. */
  offline: boolean;
  /** Cuts every open stream mid-way, as a dropped network does. */
  cutAll(): void;
  /** The JSON bodies of every stream request, oldest first. */
  streams: { variables?: Record<string, unknown>; extensions?: unknown; query?: string }[];
}

/** For SSE: a fetch whose event streams a test can cut, and refuse to reopen while offline. */
export function streamControl(): StreamControl {
  const open = new Set<AbortController>();
  const control: StreamControl = {
    offline: false,
    streams: [],
    cutAll() {
      for (const controller of open) controller.abort(new TypeError("network connection lost"));
      open.clear();
    },
    fetch: async (input, init) => {
      if (control.offline) throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") });
      control.streams.push(JSON.parse(String(init.body)) as StreamControl["streams"][number]);
      const controller = new AbortController();
      init.signal?.addEventListener("abort", () => controller.abort(init.signal?.reason), { once: true });
      open.add(controller);
      return globalThis.fetch(input, { ...init, signal: controller.signal });
    },
  };
  return control;
}
