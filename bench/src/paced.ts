import http from "node:http";
import { summarize } from "./stats.js";
import type { LoadOptions, LoadResult } from "./load.js";

/**
 * Open-loop load at a fixed rate: request i is due at start + i/rate, whatever happened to
 * the earlier ones, and its latency counts from when it was due (so a stall is not hidden by
 * the client waiting politely: no coordinated omission). Used for fixed-rate runs because
 * autocannon's rate limiter sends each second's quota per connection as one burst.
 * Bounded: at most `maxInFlight` requests outstanding (a request due beyond that is counted
 * as dropped, i.e. an error), and at most `drainSeconds` of waiting after the last send.
 */
export async function paced(
  options: LoadOptions & { rate: number; maxInFlight?: number; drainSeconds?: number },
): Promise<LoadResult> {
  const maxInFlight = options.maxInFlight ?? 256;
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(options.connections, 64) });
  const makeBody = typeof options.body === "function" ? options.body : () => options.body as string;
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const pending = new Set<Promise<void>>();
  let dropped = 0;
  const fire = (due: number) => {
    if (pending.size >= maxInFlight) {
      dropped += 1;
      return;
    }
    const body = Buffer.from(makeBody());
    sent += 1;
    const done = new Promise<void>((resolve) => {
      const request = http.request(
        url,
        {
          method: "POST",
          agent,
          timeout: 10_000,
          headers: { "content-type": "application/json", "content-length": body.length, ...options.headers },
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) latencies.push(performance.now() - due);
            else non2xx += 1;
            resolve();
          });
        },
      );
      let timedOut = false;
      request.on("timeout", () => {
        timedOut = true;
        timeouts += 1;
        request.destroy(new Error("timeout"));
      });
      request.on("error", () => {
        if (!timedOut) errors += 1;
        resolve();
      });
      request.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const start = performance.now();
  for (let i = 0; i < total;) {
    const now = performance.now();
    // Send everything that is due (several at once only if the timer fired late).
    while (i < total && start + i * interval <= now) {
      fire(start + i * interval);
      i += 1;
    }
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const sendWindow = (performance.now() - start) / 1000;
  const drained = Promise.all(pending).then(() => true);
  const late = new Promise<false>((resolve) =>
    setTimeout(() => resolve(false), (options.drainSeconds ?? 10) * 1000).unref(),
  );
  if (!(await Promise.race([drained, late]))) timeouts += pending.size;
  agent.destroy();
  const latency = summarize(latencies);
  return {
    rps: latencies.length / Math.max(sendWindow, options.seconds),
    latency,
    correctedP99: latency.p99,
    sent,
    ok: latencies.length,
    non2xx,
    errors: errors + dropped,
    timeouts,
    seconds: (performance.now() - start) / 1000,
  };
}
