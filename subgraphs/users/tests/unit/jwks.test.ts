import type { IncomingMessage, ServerResponse } from "node:http";
import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { createAccessTokenVerifier, generateSigningJwk, loadSigningKeys, signAccessToken } from "@asky/auth";
import { jwksRoute } from "../../src/routes/jwks.js";

/** Calls a route handler with a minimal request and captures what it writes. */
async function call(handler: ReturnType<typeof jwksRoute>, method = "GET") {
  let status = 0;
  let headers: Record<string, string> = {};
  let body = "";
  const res = {
    writeHead(code: number, head: Record<string, string>) {
      status = code;
      headers = head;
      return this;
    },
    end(chunk: string) {
      body = chunk;
    },
  } as unknown as ServerResponse;
  await handler({ method } as IncomingMessage, res);
  return { status, headers, body };
}

describe("JWKS route with a rotated key set", () => {
  it("publishes every public key, signs with the first, and verifies tokens of both", async () => {
    const [next, previous] = [await generateSigningJwk("users"), await generateSigningJwk("users")];
    const keys = await loadSigningKeys({
      owner: "users",
      jwks: JSON.stringify({ keys: [next, previous] }),
      keysDir: undefined,
      production: true,
    });
    const { status, headers, body } = await call(jwksRoute(keys));
    expect(status).toBe(200);
    expect(headers["cache-control"]).toMatch(/max-age=/);
    const set = JSON.parse(body) as JSONWebKeySet;
    expect(set.keys.map((key) => key.kid)).toEqual([next.kid, previous.kid]);
    expect(body).not.toContain('"d"');

    const verify = createAccessTokenVerifier(createLocalJWKSet(set));
    const viewer = { id: "3f1c2a9e-0000-4000-8000-000000000001", role: "NURSE" as const, ward: "UTI-ADULTO" };
    const current = await signAccessToken(keys[0], viewer, "session-1");
    const beforeRotation = await signAccessToken(keys[1]!, viewer, "session-2");
    expect((await verify(current.token)).viewer).toEqual(viewer);
    expect((await verify(beforeRotation.token)).sessionId).toBe("session-2");
  });

  it("answers only GET and HEAD", async () => {
    const keys = await loadSigningKeys({
      owner: "users",
      jwks: JSON.stringify({ keys: [await generateSigningJwk("users")] }),
      keysDir: undefined,
      production: true,
    });
    expect((await call(jwksRoute(keys), "POST")).status).toBe(405);
  });
});
