// Types only (@types/autocannon is small and in the project's install); the tool is not.
import type autocannon from "autocannon";
import { paced } from "./paced.js";
import { summarize, type Summary } from "./stats.js";
import { loadBenchTool } from "./tools.js";

export interface LoadOptions {
  url: string;
  body: string | (() => string);
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
  /** Fixed rate (requests/s), open loop (see paced.ts); unset = autocannon, as fast as the target answers. */
  rate?: number;
}

export interface LoadResult {
  /** Completed 2xx responses per second over the run. */
  rps: number;
  latency: Summary;
  /** Autocannon's own p99 (its histogram); the same as latency.p99 for paced runs. */
  correctedP99: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

/**
 * One bounded run on loopback: autocannon's closed loop, or the paced open loop at a fixed rate. Latencies come from every 2xx response (exact,
 * sub-millisecond), not from autocannon's integer histogram.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host))
    throw new Error(`refusing to load ${options.url}: loopback only`);
  if (options.rate) return paced({ ...options, rate: options.rate });
  const latencies: number[] = [];
  const makeBody = typeof options.body === "function" ? options.body : null;
  const started = performance.now();
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const run = loadBenchTool<typeof autocannon>("autocannon");
  const instance = run(
    {
      url: options.url,
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      ...(makeBody
        ? { requests: [{ method: "POST", setupRequest: (request) => ({ ...request, body: makeBody() }) }] }
        : { body: options.body as string }),
      connections: options.connections,
      duration: options.seconds,
      timeout: 10,
    },
    (error: unknown, result: autocannon.Result) => (error ? fail(error) : finish(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await done;
  const seconds = result.duration > 0 ? result.duration : (performance.now() - started) / 1000;
  return {
    rps: latencies.length / seconds,
    latency: summarize(latencies),
    correctedP99: result.latency.p99,
    sent: result.requests.sent,
    ok: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
  };
}
