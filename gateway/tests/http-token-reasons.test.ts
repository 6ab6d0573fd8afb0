/**
 * A refused access token over plain HTTP says why, with the reasons SSE streams give
 * (token-refusal.ts): TOKEN_EXPIRED tells a client to refresh, SESSION_REVOKED to sign in
 * again, TOKEN_INVALID that the token was never good here. Every refusal is 401
 * UNAUTHENTICATED with no data and nothing of the gateway's insides (no stack, no jose text).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, demoToken, eventually, gql, login, LOGOUT, testStack } from "@asky/stack/testing";
import { sseClient, sseSubscribe } from "./support/sse-client.js";
import { until } from "./support/ws-client.js";

const stack = testStack();
const now = () => Math.floor(Date.now() / 1000);
let usersKey: { kid: string; key: CryptoKey };
let adminId: string;

beforeAll(async () => {
  const set = JSON.parse(await readFile(join(stack.keysDir, "users.private.jwks.json"), "utf8")) as { keys: JWK[] };
  const jwk = set.keys[0]!;
  usersKey = { kid: jwk.kid!, key: (await importJWK(jwk, "ES256")) as CryptoKey };
  const { body } = await gql<{ me: { id: string } }>(`{ me { id } }`, {}, { token: await demoToken("admin@asky.dev") });
  adminId = body.data!.me.id;
});

function signed(extra: Record<string, unknown> = {}): Promise<string> {
  const claims = {
    iss: "asky-users",
    aud: "asky-api",
    sub: adminId,
    role: "ADMIN",
    ward: null,
    token_use: "access",
    iat: now(),
    nbf: now(),
    exp: now() + 600,
    ...extra,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: usersKey.kid, typ: "JWT" }).sign(usersKey.key);
}

const expired = () => signed({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 1800 });

interface Refusal {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function askWithHeader(authorization: string): Promise<Refusal> {
  const response = await fetch(stack.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ query: "{ me { id } }" }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Refusal["body"] };
}

const ask = (token: string) => askWithHeader(`Bearer ${token}`);

function expectRefused(refusal: Refusal, reason: string): void {
  expect(refusal.status).toBe(401);
  expect(refusal.body.data ?? null).toBeNull();
  expect(refusal.body.errors).toHaveLength(1);
  const [error] = refusal.body.errors!;
  expect(error!.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason });
  // Nothing of the insides: no stack trace, no verifier's wording, no exception class.
  expect(error!.extensions?.stacktrace).toBeUndefined();
  expect(refusal.text).not.toMatch(/\bat .+\.[jt]s:\d+|JWT|jose|Error:/);
}

describe("HTTP 401 says why the access token was refused", () => {
  it("accepts a genuine token (control)", async () => {
    const { status, body } = await gql<{ me: { id: string } }>(`{ me { id } }`, {}, { token: await signed() });
    expect(status).toBe(200);
    expect(body.data?.me.id).toBe(adminId);
  });

  it("an expired token: TOKEN_EXPIRED", async () => {
    expectRefused(await ask(await expired()), "TOKEN_EXPIRED");
  });

  const invalid: [string, () => Promise<string>][] = [
    ["garbage", async () => "not.a.jwt"],
    ["random bytes", async () => Buffer.from("\u0000\u00ff<script>".repeat(8)).toString("base64url")],
    ["another audience", () => signed({ aud: "asky-users" })],
    ["another issuer", () => signed({ iss: "https://evil.example" })],
    ["a refresh token's use", () => signed({ token_use: "refresh" })],
    // Expired and forged: the signature fails first, so it is not told "expired" (a refresh would not help).
    ["an expired token with its signature cut", async () => (await expired()).split(".").slice(0, 2).join(".") + "."],
  ];
  it.each(invalid)("%s: TOKEN_INVALID", async (_name, forge) => {
    expectRefused(await ask(await forge()), "TOKEN_INVALID");
  });

  it("a header that is not Bearer <token>: TOKEN_INVALID", async () => {
    expectRefused(await askWithHeader("Basic YWRtaW46YWRtaW4="), "TOKEN_INVALID");
    expectRefused(await askWithHeader("Bearer"), "TOKEN_INVALID");
  });

  it("a session that logged out: SESSION_REVOKED, on HTTP as on SSE", async () => {
    const user = await createUser("NURSE");
    const session = await login(user.email, user.password);
    const { body } = await gql<{ logout: boolean }>(LOGOUT, { token: session.refreshToken });
    expect(body.data?.logout).toBe(true);
    const refusal = await eventually(
      async () => {
        const answer = await ask(session.accessToken);
        return answer.status === 401 ? answer : null;
      },
      10_000,
      "the ended session to be refused",
    );
    expectRefused(refusal, "SESSION_REVOKED");

    const stream = sseSubscribe(
      sseClient(stack.gatewayUrl, session.accessToken),
      `subscription { requestEvents { type } }`,
    );
    await until(() => stream.errors.length > 0 || stream.failure !== null, 10_000, "the stream to be refused");
    expect(stream.errors[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "SESSION_REVOKED" });
    stream.stop();
  });

  it("an expired token gets the same reason on SSE", async () => {
    const stream = sseSubscribe(
      sseClient(stack.gatewayUrl, await expired()),
      `subscription { requestEvents { type } }`,
    );
    await until(() => stream.errors.length > 0 || stream.failure !== null, 10_000, "the stream to be refused");
    expect(stream.errors[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" });
    stream.stop();
  });
});
