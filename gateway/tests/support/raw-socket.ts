import type { Socket } from "node:net";
import WebSocket from "ws";

export interface ProtocolMessage {
  id?: string;
  type: string;
  payload?: unknown;
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; reason?: string; [key: string]: unknown };
}

/**
 * The graphql-transport-ws protocol spoken by hand on `ws`, for what a well-behaved client
 * library will not do: send a hundred `subscribe` messages in one burst, or stop reading
 * its socket.
 */
export class RawSocket {
  readonly messages: ProtocolMessage[] = [];
  /** Bytes of every message received, `next` ones included. */
  receivedBytes = 0;
  closedWith: { code: number; reason: string } | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly acknowledged: Promise<boolean>;

  private constructor(
    readonly ws: WebSocket,
    token: string,
    private readonly keepNext: boolean,
  ) {
    ws.on("open", () =>
      ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })),
    );
    ws.on("message", (data: Buffer) => {
      this.receivedBytes += data.length;
      const text = data.toString("utf8");
      if (!this.keepNext && text.includes('"type":"next"')) return;
      const message = JSON.parse(text) as ProtocolMessage;
      if (message.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
      this.messages.push(message);
    });
    ws.on("error", () => undefined);
    this.closed = new Promise((resolve) =>
      ws.once("close", (code: number, reason: Buffer) => {
        this.closedWith = { code, reason: reason.toString("utf8") };
        resolve(this.closedWith);
      }),
    );
    this.acknowledged = new Promise((resolve) => {
      ws.on("message", () => {
        if (this.messages.some((message) => message.type === "connection_ack")) resolve(true);
      });
      void this.closed.then(() => resolve(false));
    });
  }

  /** Opens and initialises a socket; `acknowledged` tells whether the gateway took it. */
  static open(gatewayUrl: string, token: string, options: { keepNext?: boolean } = {}): RawSocket {
    const ws = new WebSocket(gatewayUrl.replace(/^http/, "ws"), "graphql-transport-ws", { perMessageDeflate: false });
    return new RawSocket(ws, token, options.keepNext ?? true);
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.ws.send(JSON.stringify({ id, type: "subscribe", payload: { query, variables } }));
  }

  complete(id: string): void {
    this.ws.send(JSON.stringify({ id, type: "complete" }));
  }

  of(id: string, type?: string): ProtocolMessage[] {
    return this.messages.filter((message) => message.id === id && (type === undefined || message.type === type));
  }

  /** GraphQL errors received for `id`, in `error` messages or in `next` payloads. */
  errorsOf(id: string): GraphQLErrorShape[] {
    return this.of(id).flatMap((message) => {
      if (message.type === "error") return message.payload as GraphQLErrorShape[];
      if (message.type === "next") return (message.payload as { errors?: GraphQLErrorShape[] }).errors ?? [];
      return [];
    });
  }

  /** Stops (or resumes) reading the TCP socket, as a frozen or overwhelmed client does. */
  pauseReading(): void {
    (this.ws as unknown as { _socket: Socket })._socket.pause();
  }

  resumeReading(): void {
    (this.ws as unknown as { _socket: Socket })._socket.resume();
  }

  close(): void {
    this.ws.close();
  }
}
