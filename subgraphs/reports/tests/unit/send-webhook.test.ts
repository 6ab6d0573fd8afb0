/**
 * One attempt against real local HTTP servers: the socket's lookup refuses a name that now
 * resolves to an internal address (DNS rebinding) unless allowed, redirects are not followed,
 * an endless answer is cut short and a silent receiver times out.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowance } from "../../src/webhooks/allowance.js";
import { sendWebhook, type WebhookPost } from "../../src/webhooks/send-webhook.js";
import { signatureHeader } from "../../src/webhooks/signature.js";

let server: Server;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    req.resume();
    if (req.url === "/redirect") {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
    } else if (req.url === "/endless") {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 120);
      const write = () => {
        while (res.write(chunk));
        res.once("drain", write);
      };
      write();
      res.on("close", () => res.removeAllListeners("drain"));
    } else if (req.url === "/silent") {
      // Never answers.
    } else {
      res.writeHead(200).end("ok");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (path: string, host = "127.0.0.1"): WebhookPost => ({
  url: `http://${host}:${port}${path}`,
  secret: "s".repeat(32),
  eventId: "3f1c1a52-2d3b-4a7e-9a53-0a6f3f1e9b11",
  eventType: "STOCK_LOW",
  body: '{"id":"3f1c1a52-2d3b-4a7e-9a53-0a6f3f1e9b11"}',
});
const toLoopback = async () => [{ address: "127.0.0.1", family: 4 }];

describe("sendWebhook", () => {
  it("refuses at the socket a name that resolves to loopback now", async () => {
    const before = hits.length;
    const outcome = await sendWebhook(post("/rebound", "rebind.example"), {
      allowance: parseAllowance("X", ""),
      timeoutMs: 2_000,
      resolve: toLoopback,
    });
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(outcome.error).toMatch(/internal address/);
    expect(hits.length).toBe(before);
    // An IP literal is refused too, with no lookup at all.
    const literal = await sendWebhook(post("/literal"), { allowance: parseAllowance("X", ""), timeoutMs: 2_000 });
    expect(literal.error).toMatch(/internal address/);
  });

  it("reaches it when a CIDR allows it", async () => {
    const outcome = await sendWebhook(post("/allowed", "rebind.example"), {
      allowance: parseAllowance("X", "127.0.0.0/8"),
      timeoutMs: 2_000,
      resolve: toLoopback,
    });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(hits).toContain("/allowed");
  });

  it("does not follow a redirect", async () => {
    const outcome = await sendWebhook(post("/redirect"), {
      allowance: parseAllowance("X", "127.0.0.1"),
      timeoutMs: 2_000,
    });
    expect(outcome).toMatchObject({ ok: false, statusCode: 302, error: "HTTP 302" });
    expect(hits).not.toContain("/elsewhere");
  });

  it("reads a bounded part of an endless answer", async () => {
    const outcome = await sendWebhook(post("/endless"), {
      allowance: parseAllowance("X", "127.0.0.1"),
      timeoutMs: 5_000,
    });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
  });

  it("gives up on a silent receiver after the timeout", async () => {
    const outcome = await sendWebhook(post("/silent"), { allowance: parseAllowance("X", "127.0.0.1"), timeoutMs: 300 });
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "timed out after 300 ms" });
  });

  it("signs the timestamp with the body", () => {
    expect(signatureHeader("k".repeat(32), "{}", new Date(1_700_000_000_500))).toMatch(
      /^t=1700000000,v1=[0-9a-f]{64}$/,
    );
    expect(signatureHeader("k".repeat(32), "{}", new Date(0))).not.toBe(
      signatureHeader("k".repeat(32), "{} ", new Date(0)),
    );
  });
});
