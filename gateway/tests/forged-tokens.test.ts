/**
 * Forged and misused tokens, presented where an attacker would present them: client
 * access tokens at the gateway, internal tokens straight at each subgraph's port. Every
 * forgery must be refused with 401 UNAUTHENTICATED, and the genuine control must pass,
 * so that the matrix proves the checks and not a broken setup.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { base64url, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { demoToken, gql, testStack } from "@asky/stack/testing";

const stack = testStack();
type Claims = Record<string, unknown>;
interface OwnedKey {
  kid: string;
  key: CryptoKey;
  publicJwk: JWK;
}

async function ownedKey(owner: string): Promise<OwnedKey> {
  const set = JSON.parse(await readFile(join(stack.keysDir, `${owner}.private.jwks.json`), "utf8")) as { keys: JWK[] };
  const jwk = set.keys[0]!;
  const { d: _d, ...publicJwk } = jwk;
  return { kid: jwk.kid!, key: (await importJWK(jwk, "ES256")) as CryptoKey, publicJwk };
}

const now = () => Math.floor(Date.now() / 1000);

function sign(claims: Claims, key: CryptoKey, header: { kid: string; alg?: string }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: header.alg ?? "ES256", kid: header.kid, typ: "JWT" }).sign(key);
}

function unsigned(claims: Claims, kid: string): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: "none", kid, typ: "JWT" })}.${encode(claims)}.`;
}

async function hs256WithPublicKey(claims: Claims, publicJwk: JWK): Promise<string> {
  // The classic algorithm confusion: HMAC keyed with the verifier's public key.
  const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: publicJwk.kid!, typ: "JWT" }).sign(secret);
}

function tamper(token: string, change: Claims): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as Claims;
  return [header, base64url.encode(JSON.stringify({ ...claims, ...change })), signature].join(".");
}

let users: OwnedKey;
let gateway: OwnedKey;
let foreign: CryptoKey;
let admin: { id: string };

beforeAll(async () => {
  [users, gateway] = await Promise.all([ownedKey("users"), ownedKey("gateway")]);
  foreign = (await generateKeyPair("ES256")).privateKey;
  const { body } = await gql<{ me: { id: string } }>(`{ me { id } }`, {}, { token: await demoToken("admin@asky.dev") });
  admin = body.data!.me;
});

describe("client tokens at the gateway", () => {
  const accessClaims = (extra: Claims = {}): Claims => ({
    iss: "asky-users",
    aud: "asky-api",
    sub: admin.id,
    role: "ADMIN",
    ward: null,
    token_use: "access",
    iat: now(),
    nbf: now(),
    exp: now() + 600,
    ...extra,
  });
  const ask = (token: string) => gql(`{ me { id role } }`, {}, { token });

  it("accepts a genuine token (control)", async () => {
    const { status, body } = await ask(await sign(accessClaims(), users.key, { kid: users.kid }));
    expect(status).toBe(200);
    expect(body.data).toEqual({ me: { id: admin.id, role: "ADMIN" } });
  });

  const forgeries: [string, () => Promise<string>][] = [
    ["alg: none", async () => unsigned(accessClaims(), users.kid)],
    ["HS256 signed with the public key", () => hs256WithPublicKey(accessClaims(), users.publicJwk)],
    ["a foreign key under the real kid", () => sign(accessClaims(), foreign, { kid: users.kid })],
    ["an unknown kid", () => sign(accessClaims(), foreign, { kid: "users-0000000000000000" })],
    [
      "expired",
      () =>
        sign(accessClaims({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 1800 }), users.key, { kid: users.kid }),
    ],
    [
      "not yet valid",
      () => sign(accessClaims({ nbf: now() + 3600, exp: now() + 7200 }), users.key, { kid: users.kid }),
    ],
    ["wrong iss", () => sign(accessClaims({ iss: "https://evil.example" }), users.key, { kid: users.kid })],
    ["wrong aud", () => sign(accessClaims({ aud: "asky-users" }), users.key, { kid: users.kid })],
    ["not an access token", () => sign(accessClaims({ token_use: "refresh" }), users.key, { kid: users.kid })],
    ["a tampered payload", async () => tamper(await demoToken("nurse@asky.dev"), { role: "ADMIN", ward: null })],
    [
      "a subgraph (internal) token",
      () =>
        sign(
          {
            iss: "asky-gateway",
            aud: "asky-users",
            sub: admin.id,
            role: "ADMIN",
            token_use: "internal",
            iat: now(),
            exp: now() + 60,
          },
          gateway.key,
          { kid: gateway.kid },
        ),
    ],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(forgeries)("rejects %s with 401 UNAUTHENTICATED", async (_name, forge) => {
    const { status, body } = await ask(await forge());
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(body.data ?? null).toBeNull();
  });
});

describe.each(["users", "dispensers", "requests"] as const)("internal tokens at the %s subgraph", (subgraph) => {
  const internalClaims = (extra: Claims = {}): Claims => ({
    iss: "asky-gateway",
    aud: `asky-${subgraph}`,
    sub: admin.id,
    role: "ADMIN",
    token_use: "internal",
    iat: now(),
    exp: now() + 60,
    ...extra,
  });
  const direct = async (token: string | null) => {
    const response = await fetch(stack.subgraphUrls[subgraph], {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
    };
  };

  it("accepts a genuine gateway token (control)", async () => {
    const { status, body } = await direct(await sign(internalClaims(), gateway.key, { kid: gateway.kid }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  const forgeries: [string, () => Promise<string | null>][] = [
    ["no token at all", async () => null],
    ["alg: none", async () => unsigned(internalClaims(), gateway.kid)],
    ["HS256 signed with the gateway's public key", () => hs256WithPublicKey(internalClaims(), gateway.publicJwk)],
    ["a foreign key under the gateway's kid", () => sign(internalClaims(), foreign, { kid: gateway.kid })],
    ["an unknown kid", () => sign(internalClaims(), foreign, { kid: "gateway-0000000000000000" })],
    ["expired", () => sign(internalClaims({ iat: now() - 600, exp: now() - 300 }), gateway.key, { kid: gateway.kid })],
    ["not yet valid", () => sign(internalClaims({ nbf: now() + 3600 }), gateway.key, { kid: gateway.kid })],
    ["wrong iss", () => sign(internalClaims({ iss: "asky-intruder" }), gateway.key, { kid: gateway.kid })],
    [
      "another subgraph's audience",
      () =>
        sign(internalClaims({ aud: subgraph === "users" ? "asky-requests" : "asky-users" }), gateway.key, {
          kid: gateway.kid,
        }),
    ],
    [
      "a tampered payload",
      async () =>
        tamper(await sign(internalClaims({ role: "NURSE" }), gateway.key, { kid: gateway.kid }), { role: "ADMIN" }),
    ],
    ["a client access token", () => demoToken("admin@asky.dev")],
    [
      "a client-shaped token signed by the users key",
      () => sign(internalClaims({ iss: "asky-users" }), users.key, { kid: users.kid }),
    ],
  ];

  it.each(forgeries)("rejects %s with 401", async (_name, forge) => {
    const { status, body } = await direct(await forge());
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(body.data ?? null).toBeNull();
  });
});

describe("service tokens between subgraphs", () => {
  const serviceToken = async (audience: string) => {
    const requests = await ownedKey("requests");
    return sign(
      { iss: "asky-requests", aud: `asky-${audience}`, token_use: "internal", iat: now(), exp: now() + 60 },
      requests.key,
      { kid: requests.kid },
    );
  };
  const direct = async (subgraph: "users" | "dispensers", token: string) =>
    (
      await fetch(stack.subgraphUrls[subgraph], {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ _service { sdl } }" }),
      })
    ).status;

  it("lets the requests service call the dispensers subgraph with its own token", async () => {
    expect(await direct("dispensers", await serviceToken("dispensers"))).toBe(200);
  });

  it("refuses the requests service's token where that service is not a trusted caller", async () => {
    expect(await direct("users", await serviceToken("users"))).toBe(401);
  });
});
