import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSigningJwk, KeyConfigError, loadSigningKeys } from "../../src/signing-keys.js";
import { createInternalTokenVerifier, signInternalToken } from "../../src/internal-token.js";

describe("signing keys", () => {
  it("load from JSON or from a file, first key signs, both stay published", async () => {
    const keys = { keys: [await generateSigningJwk("svc"), await generateSigningJwk("svc")] };
    const file = join(await mkdtemp(join(tmpdir(), "asky-keys-")), "svc.jwks.json");
    await writeFile(file, JSON.stringify(keys));
    for (const jwks of [JSON.stringify(keys), file]) {
      const loaded = await loadSigningKeys({ owner: "svc", jwks, keysDir: undefined, production: true });
      expect(loaded.map((key) => key.kid)).toEqual(keys.keys.map((key) => key.kid));
      expect(loaded[0].publicJwk).not.toHaveProperty("d");
    }
  });

  it("refuse to invent keys in production", async () => {
    await expect(
      loadSigningKeys({ owner: "svc", jwks: undefined, keysDir: "/tmp", production: true }),
    ).rejects.toBeInstanceOf(KeyConfigError);
  });

  it("generate once in development and keep them across restarts", async () => {
    const keysDir = await mkdtemp(join(tmpdir(), "asky-keys-"));
    const first = await loadSigningKeys({ owner: "svc", jwks: undefined, keysDir, production: false });
    const second = await loadSigningKeys({ owner: "svc", jwks: undefined, keysDir, production: false });
    expect(second[0].kid).toBe(first[0].kid);
  });

  it("verify internal tokens against trusted keys given as a file", async () => {
    const gateway = { keys: [await generateSigningJwk("gateway")] };
    const [key] = await loadSigningKeys({
      owner: "gateway",
      jwks: JSON.stringify(gateway),
      keysDir: undefined,
      production: true,
    });
    const file = join(await mkdtemp(join(tmpdir(), "asky-keys-")), "trusted.json");
    const { d: _private, ...publicJwk } = gateway.keys[0]!;
    await writeFile(file, JSON.stringify({ gateway: { keys: [publicJwk] } }));
    const verify = createInternalTokenVerifier("users", { trusted: ["gateway"], jwks: file, keysDir: undefined });
    const viewer = { id: "7b0c4a4e-3f1e-4a55-9f0e-1a2b3c4d5e6f", role: "NURSE" as const, ward: "PEDIATRIA" };
    const identity = await verify(
      await signInternalToken(key, {
        issuer: "gateway",
        audience: "users",
        viewer,
        sessionId: "s-1",
        accessIssuedAtMs: 1_700_000_000_123,
      }),
    );
    expect(identity).toEqual({
      caller: "gateway",
      viewer,
      clientIp: null,
      sessionId: "s-1",
      accessIssuedAtMs: 1_700_000_000_123,
    });

    // Signed without the access token's time (by hand): the start of its own iat second, never later.
    const before = Math.floor(Date.now() / 1000) * 1000;
    const bare = await verify(await signInternalToken(key, { issuer: "gateway", audience: "users", viewer }));
    expect(bare.accessIssuedAtMs % 1000).toBe(0);
    expect(bare.accessIssuedAtMs).toBeGreaterThanOrEqual(before);
    expect(bare.accessIssuedAtMs).toBeLessThanOrEqual(Date.now());
  });
});
