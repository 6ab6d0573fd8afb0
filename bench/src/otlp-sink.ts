/**
 * An OTLP/HTTP endpoint for `npm run bench -- --tracing`: it takes every export the services
 * send (traces and metrics, protobuf by default) and answers as a collector does, counting
 * requests and bytes so the report can say how much telemetry the measured load produced. It
 * decodes nothing: what is measured is the services' cost of recording and exporting, and a
 * collector's own work happens on another machine in a real deployment.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface OtlpSink {
  readonly url: string;
  /** Export requests and body bytes received so far, per path (/v1/traces, /v1/metrics). */
  readonly received: ReadonlyMap<string, { requests: number; bytes: number }>;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const received = new Map<string, { requests: number; bytes: number }>();
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on("data", (chunk: Buffer) => (bytes += chunk.length));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?", 1)[0]!;
      const seen = received.get(path) ?? { requests: 0, bytes: 0 };
      received.set(path, { requests: seen.requests + 1, bytes: seen.bytes + bytes });
      const json = (req.headers["content-type"] ?? "").includes("json");
      res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
      res.end(json ? "{}" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
