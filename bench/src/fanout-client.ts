/**
 * A pool of graphql-ws subscribers in its own process (the bench runs two), speaking the
 * graphql-transport-ws protocol directly on `ws` so that a received message costs only a
 * timestamp until the parent asks for the samples. Driven over IPC by scenarios/fanout.ts.
 */
import WebSocket from "ws";

interface OpenCommand {
  type: "open";
  url: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
  sockets: number;
  perSocket: number;
}
type Command = OpenCommand | { type: "collect" } | { type: "close" };

const sockets: WebSocket[] = [];
let times: number[] = [];
let payloads: string[] = [];
let failures = 0;

function send(message: unknown): void {
  process.send?.(message);
}

function openSocket(command: OpenCommand, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(command.url, "graphql-transport-ws", { perMessageDeflate: false });
    sockets.push(socket);
    const timer = setTimeout(() => reject(new Error(`socket ${index}: no connection_ack`)), 30_000);
    socket.on("open", () =>
      socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${command.token}` } })),
    );
    socket.on("message", (data: WebSocket.RawData) => {
      const at = Date.now();
      const text = data.toString();
      if (text.startsWith('{"type":"next"') || text.includes('"type":"next"')) {
        times.push(at);
        payloads.push(text);
        return;
      }
      const message = JSON.parse(text) as { type: string; id?: string; payload?: unknown };
      if (message.type === "connection_ack") {
        clearTimeout(timer);
        for (let i = 0; i < command.perSocket; i += 1) {
          socket.send(
            JSON.stringify({
              id: `${index}-${i}`,
              type: "subscribe",
              payload: { query: command.query, variables: command.variables },
            }),
          );
        }
        resolve();
      } else if (message.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (message.type === "error" || message.type === "complete") {
        failures += 1;
      }
    });
    socket.on("close", (code) => {
      if (code !== 1000) failures += 1;
    });
    socket.on("error", (error) => {
      failures += 1;
      reject(error);
    });
  });
}

process.on("message", (command: Command) => {
  void (async () => {
    if (command.type === "open") {
      // Open in small batches: a burst of hundreds of handshakes is not what is measured here.
      for (let start = 0; start < command.sockets; start += 20) {
        const batch = [];
        for (let i = start; i < Math.min(command.sockets, start + 20); i += 1) batch.push(openSocket(command, i));
        await Promise.all(batch);
      }
      send({ type: "opened", sockets: sockets.length });
    } else if (command.type === "collect") {
      const latencies: Record<string, number[]> = {};
      for (let i = 0; i < times.length; i += 1) {
        const message = JSON.parse(payloads[i]!) as {
          payload?: { data?: { requestEvents?: { cursor: string; at: string } }; errors?: unknown[] };
        };
        const event = message.payload?.data?.requestEvents;
        if (!event) {
          failures += 1;
          continue;
        }
        (latencies[event.cursor] ??= []).push(times[i]! - Date.parse(event.at));
      }
      times = [];
      payloads = [];
      send({ type: "samples", latencies, failures });
    } else if (command.type === "close") {
      for (const socket of sockets) socket.close(1000);
      sockets.length = 0;
      send({ type: "closed" });
    }
  })().catch((error: unknown) => send({ type: "failed", message: String(error) }));
});
send({ type: "ready" });
process.stdout.write("ready\n");
