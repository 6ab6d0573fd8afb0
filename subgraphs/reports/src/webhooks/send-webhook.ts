import http from "node:http";
import https from "node:https";
import { signatureHeader } from "./signature.js";
import { guardedLookup, hostOf, permittedAddresses, RefusedTarget, type Resolve } from "./target-guard.js";
import type { WebhookAllowance } from "./allowance.js";

/** At most this much of a receiver's answer is read (it is only logged, never parsed). */
export const MAX_RESPONSE_BYTES = 16 * 1024;

export interface WebhookPost {
  readonly url: string;
  readonly secret: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
}

export interface SendOptions {
  readonly allowance: WebhookAllowance;
  readonly timeoutMs: number;
  readonly resolve?: Resolve;
  readonly now?: () => Date;
}

export interface AttemptOutcome {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/**
 * POSTs one delivery. A 2xx answer is success; anything else (a redirect too: it is not
 * followed, as it could point inside) is a failed attempt. The whole exchange is bounded by
 * `timeoutMs` and the answer's body by MAX_RESPONSE_BYTES. Never throws.
 */
export async function sendWebhook(post: WebhookPost, options: SendOptions): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const url = new URL(post.url);
    const host = hostOf(url);
    // An IP literal is never looked up: check it here (a name is checked at the socket).
    await permittedAddresses(host, options.allowance, async () => []).catch((error: unknown) => {
      if (error instanceof RefusedTarget && error.reason === "UNRESOLVABLE_HOST") return;
      throw error;
    });
    const statusCode = await post_(url, post, options);
    const ok = statusCode >= 200 && statusCode < 300;
    return { ok, statusCode, error: ok ? null : `HTTP ${statusCode}`, durationMs: elapsed() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, statusCode: null, error: message.slice(0, 500), durationMs: elapsed() };
  }
}

function post_(url: URL, post: WebhookPost, options: SendOptions): Promise<number> {
  const body = Buffer.from(post.body, "utf8");
  const at = (options.now ?? (() => new Date()))();
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = transport.request(url, {
      method: "POST",
      lookup: guardedLookup(options.allowance, options.resolve),
      headers: {
        "content-type": "application/json",
        "content-length": body.length,
        "user-agent": "Asky-Webhooks/1",
        "asky-signature": signatureHeader(post.secret, post.body, at),
        "asky-event-id": post.eventId,
        "idempotency-key": post.eventId,
        "asky-event-type": post.eventType,
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.on("error", (error) =>
      reject(error.name === "AbortError" ? new Error(`timed out after ${options.timeoutMs} ms`) : error),
    );
    request.on("response", (response) => {
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        // Enough to know the answer; the rest is not worth the memory or the wait.
        if (read > MAX_RESPONSE_BYTES) response.destroy();
      });
      response.on("close", () => resolve(response.statusCode ?? 0));
      response.on("error", () => resolve(response.statusCode ?? 0));
    });
    request.end(body);
  });
}
