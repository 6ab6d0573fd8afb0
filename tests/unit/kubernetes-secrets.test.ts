/**
 * The keys and passwords deploy/kubernetes/generate-secrets.ts writes (production) and the
 * dev overlay's published development keys: each service's signing key loads the way the
 * service loads it, and TRUSTED_JWKS lets every caller the code names through: the gateway
 * everywhere, requests at dispensers, and dispensers and requests at the users service's
 * /internal/session-status.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createInternalTokenVerifier, loadSigningKeys, signInternalToken } from "@asky/auth";
import { generateSecrets, signers, type SecretFiles } from "../../deploy/kubernetes/generate-secrets.js";
import { dataOf } from "./support/container-env.js";
import { renderOverlay } from "./support/manifests.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Who accepts whose internal tokens, as the services' code declares it. */
const accepted: Record<string, readonly string[]> = {
  users: ["gateway", "dispensers", "requests"],
  dispensers: ["gateway", "requests"],
  requests: ["gateway"],
};

async function expectWorkingKeys(signing: Readonly<Record<string, string>>): Promise<void> {
  const trusted = signing.trusted ?? "";
  expect(trusted).not.toContain('"d"');
  for (const [audience, callers] of Object.entries(accepted)) {
    const verify = createInternalTokenVerifier(audience, { trusted: callers, jwks: trusted, keysDir: undefined });
    for (const caller of callers) {
      const [key] = await loadSigningKeys({
        owner: caller,
        jwks: signing[caller],
        keysDir: undefined,
        production: true,
      });
      const token = await signInternalToken(key, { issuer: caller, audience, viewer: null });
      await expect(verify(token), `${caller} -> ${audience}`).resolves.toMatchObject({ caller });
    }
  }
  // users signs access tokens, which are checked against its published JWKS, not TRUSTED_JWKS.
  await expect(
    loadSigningKeys({ owner: "users", jwks: signing.users, keysDir: undefined, production: true }),
  ).resolves.toHaveLength(1);
}

describe("generate-secrets.ts", () => {
  it("writes signing keys every caller's token verifies with", async () => {
    const secrets: SecretFiles = await generateSecrets();
    expect(Object.keys(secrets["asky-signing-keys"] ?? {}).sort()).toEqual([...signers, "trusted"].sort());
    await expectWorkingKeys(secrets["asky-signing-keys"] ?? {});
  });

  it("writes passwords that go into a postgres:// URL as they are", async () => {
    const secrets = await generateSecrets();
    const passwords = [
      ...Object.values(secrets["asky-database-passwords"] ?? {}),
      secrets["asky-postgres-superuser"]?.password ?? "",
      secrets["asky-metrics"]?.token ?? "",
    ];
    for (const password of passwords) {
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(encodeURIComponent(password)).toBe(password);
    }
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(secrets["asky-postgres-superuser"]?.username).toBe("postgres");
  });

  it("writes one private file per key into a new folder, and refuses an existing one", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "asky-secrets-"));
    try {
      const folder = path.join(parent, "out");
      const script = path.join(root, "deploy/kubernetes/generate-secrets.ts");
      const { stdout } = await run(process.execPath, ["--import", "tsx", script, folder], { cwd: root });
      expect(stdout).toContain("kubectl -n asky create secret generic asky-signing-keys");
      expect((await readdir(folder)).sort()).toEqual(Object.keys(await generateSecrets()).sort());
      const token = path.join(folder, "asky-metrics", "token");
      expect((await stat(token)).mode & 0o777).toBe(0o600);
      expect(stdout).not.toContain(await readFile(token, "utf8"));
      await expect(run(process.execPath, ["--import", "tsx", script, folder], { cwd: root })).rejects.toThrow();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe("the dev overlay's development keys", () => {
  it("are marked as such and verify like generated ones", async () => {
    const rendered = await renderOverlay("dev");
    const name = rendered.secrets.find((secret) => secret.metadata?.name?.startsWith("asky-signing-keys"))?.metadata
      ?.name;
    const signing = dataOf(rendered, "Secret", name ?? "") ?? {};
    for (const signer of signers) {
      const kids = (JSON.parse(signing[signer] ?? "{}") as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      expect(
        kids.every((kid) => kid.startsWith(`dev-only-${signer}-`)),
        signer,
      ).toBe(true);
    }
    await expectWorkingKeys(signing);
  }, 300_000);
});
