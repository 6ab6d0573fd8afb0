/**
 * The envelope webhook secrets are stored in: it opens only for the webhook it was sealed for,
 * with a configured key, unaltered; keys rotate ("new,old"); WEBHOOK_SECRET_KEYS refuses
 * malformed keys before anything starts, naming the entry but never the key.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isSealed, openSecret, sealSecret, SecretBoxError } from "../../src/webhooks/secret-box.js";
import {
  developmentKeyFile,
  formatSecretKey,
  loadSecretKeyring,
  parseSecretKeys,
  secretKeysEnv,
  type SecretKeyring,
} from "../../src/webhooks/secret-keys.js";

const entry = (id: string, bytes = 32) => `${id}:${randomBytes(bytes).toString("base64")}`;
const keyA = parseSecretKeys("T", entry("key-a"));
const keyB = parseSecretKeys("T", entry("key-b"));
const rotated: SecretKeyring = [keyB[0], keyA[0]];
const secret = "a-webhook-secret-of-at-least-32-characters";

/** Replaces one character of the colon-separated part `index` of `stored`. */
function alter(stored: string, index: number): string {
  const parts = stored.split(":");
  const part = parts[index]!;
  parts[index] = (part[0] === "A" ? "B" : "A") + part.slice(1);
  return parts.join(":");
}

describe("secret box", () => {
  it("seals to the versioned format, never holding the secret, and opens it again", () => {
    const id = randomUUID();
    const sealed = sealSecret(keyA, id, secret);
    expect(sealed).toMatch(/^v1:key-a:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{22}$/);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString("base64url").slice(0, 12));
    expect(openSecret(keyA, id, sealed)).toBe(secret);
    // A fresh nonce per write: the same secret never seals to the same text.
    expect(sealSecret(keyA, id, secret)).not.toBe(sealed);
  });

  it("does not open for another webhook (a ciphertext moved to another row)", () => {
    const sealed = sealSecret(keyA, randomUUID(), secret);
    expect(() => openSecret(keyA, randomUUID(), sealed)).toThrow(SecretBoxError);
    expect(() => openSecret(keyA, randomUUID(), sealed)).toThrow(/copied from another row/);
  });

  it("does not open when any part is altered, or relabelled with another key id", () => {
    const id = randomUUID();
    const sealed = sealSecret(rotated, id, secret);
    for (const index of [2, 3, 4]) expect(() => openSecret(rotated, id, alter(sealed, index))).toThrow(SecretBoxError);
    // Key B's ciphertext labelled as key A's: the key id is bound too.
    expect(() => openSecret(rotated, id, sealed.replace(":key-b:", ":key-a:"))).toThrow(SecretBoxError);
    // Cut short, padded, not base64url, nonce or tag of the wrong length.
    const [v, kid, nonce, ct, tag] = sealed.split(":") as [string, string, string, string, string];
    for (const malformed of [
      "",
      secret,
      `v1:${kid}:${nonce}:${ct}`,
      `${sealed}:extra`,
      `v2:${kid}:${nonce}:${ct}:${tag}`,
      `${v}:${kid}:${nonce}:${ct}+/:${tag}`,
      `${v}:${kid}:${nonce.slice(4)}:${ct}:${tag}`,
      `${v}:${kid}:${nonce}:${ct}:${tag.slice(4)}`,
      `${v}:${kid}:${nonce}::${tag}`,
    ]) {
      expect(() => openSecret(rotated, id, malformed), malformed).toThrow(SecretBoxError);
    }
  });

  it("does not open under a key that is not configured, and says which", () => {
    const id = randomUUID();
    expect(() => openSecret(keyA, id, sealSecret(keyB, id, secret))).toThrow(/key "key-b", which is not configured/);
  });

  it("rotates: with keys B,A new secrets are sealed with B and A's still open", () => {
    const id = randomUUID();
    const old = sealSecret(keyA, id, secret);
    expect(openSecret(rotated, id, old)).toBe(secret);
    const fresh = sealSecret(rotated, id, "another-secret-of-at-least-32-characters");
    expect(fresh.split(":")[1]).toBe("key-b");
    expect(openSecret(rotated, id, fresh)).toBe("another-secret-of-at-least-32-characters");
    expect(() => openSecret(keyA, id, fresh)).toThrow(SecretBoxError);
  });

  it("keeps secrets of any characters the API accepts", () => {
    const id = randomUUID();
    const unusual = "ünïcødé:with:colons and spaces, 🙂 and more than thirty-two";
    expect(openSecret(keyA, id, sealSecret(keyA, id, unusual))).toBe(unusual);
  });
});

describe("WEBHOOK_SECRET_KEYS", () => {
  const variable = secretKeysEnv("WEBHOOK_SECRET_KEYS");

  it("is optional (a development key is generated) and parses one or more keys, the first encrypting", () => {
    expect(variable.required).toBe(false);
    expect(variable.parse(undefined)).toBeNull();
    expect(variable.parse("  ")).toBeNull();
    const a = entry("a");
    const b = entry("b_2");
    const keys = variable.parse(` ${b} , ${a}`)!;
    expect(keys.map((key) => key.id)).toEqual(["b_2", "a"]);
    expect(formatSecretKey(keys[1]!)).toBe(a);
  });

  it("refuses a malformed entry with the variable's name, never echoing the key", () => {
    const good = entry("good");
    const short = randomBytes(16).toString("base64");
    const cases: [string, RegExp][] = [
      [`k:${short}`, /key 1 \(k\) is 16 bytes; an AES-256 key is 32/],
      [`k:${randomBytes(33).toString("base64")}`, /is 33 bytes/],
      [`${good},k:not*base64!`, /key 2 \(k\) is not base64/],
      [`k:${randomBytes(32).toString("base64url")}`, /not base64/],
      [`k:${randomBytes(32).toString("base64").replace(/=+$/, "")}`, /not base64/],
      [randomBytes(32).toString("base64"), /key 1 is not "<id>:<base64 key>"/],
      [`:${randomBytes(32).toString("base64")}`, /the id is 1-32 letters/],
      [`bad id:${randomBytes(32).toString("base64")}`, /the id is 1-32 letters/],
      [`${"x".repeat(33)}:${randomBytes(32).toString("base64")}`, /the id is 1-32 letters/],
      [`${good},${good.replace(/:.*/, ":")}${randomBytes(32).toString("base64")}`, /"good" is given twice/],
      [`${good},`, /key 2 is not/],
      [",", /key 1 is not/],
    ];
    for (const [raw, message] of cases) {
      let thrown: unknown;
      try {
        variable.parse(raw);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, raw).toBeInstanceOf(Error);
      const text = (thrown as Error).message;
      expect(text, raw).toMatch(/^WEBHOOK_SECRET_KEYS/);
      expect(text, raw).toMatch(message);
      for (const part of raw.split(/[,:]/)) if (part.length >= 20) expect(text).not.toContain(part);
    }
  });
});

describe("the keyring a process starts with", () => {
  const dirs: string[] = [];
  const keysDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "asky-webhook-keys-"));
    dirs.push(dir);
    return path.join(dir, "keys");
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("is the configured one when given, in production or not", () => {
    for (const production of [true, false]) {
      expect(loadSecretKeyring({ configured: rotated, production, keysDir: keysDir() })).toBe(rotated);
    }
  });

  it("refuses production without configured keys (fails closed, writes no key)", () => {
    const dir = keysDir();
    expect(() => loadSecretKeyring({ configured: null, production: true, keysDir: dir })).toThrow(
      /WEBHOOK_SECRET_KEYS is required in production/,
    );
    expect(() => statSync(developmentKeyFile(dir))).toThrow();
  });

  it("outside production, generates one key into the key folder (private) and reuses it", () => {
    const dir = keysDir();
    const first = loadSecretKeyring({ configured: null, production: false, keysDir: dir });
    expect(first).toHaveLength(1);
    expect(first[0].key).toHaveLength(32);
    const file = developmentKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, "utf8").trim()).toBe(formatSecretKey(first[0]));
    const again = loadSecretKeyring({ configured: null, production: false, keysDir: dir });
    expect(again[0].id).toBe(first[0].id);
    expect(again[0].key.equals(first[0].key)).toBe(true);
    const id = randomUUID();
    expect(openSecret(again, id, sealSecret(first, id, secret))).toBe(secret);
  });
});
