import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EnvVar } from "@asky/runtime";

/** One AES-256 key and the id stored next to every ciphertext it made. */
export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The first key encrypts; every key decrypts what it made (rotation: "new,old"). */
export type SecretKeyring = readonly [SecretKey, ...SecretKey[]];

/** Ids go into the stored format between colons: no colon, nothing to escape. */
const keyId = /^[A-Za-z0-9_-]{1,32}$/;
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KEY_BYTES = 32;

/**
 * Parses `<id>:<base64 of 32 bytes>[,<id>:<base64>...]`. Every problem is refused with the
 * variable's name and the entry's position, never the key material itself.
 */
export function parseSecretKeys(name: string, raw: string): SecretKeyring {
  const keys: SecretKey[] = [];
  const entries = raw.split(",").map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `${name}: key ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) throw new Error(`${where} is not "<id>:<base64 key>"`);
    const id = entry.slice(0, colon);
    const material = entry.slice(colon + 1);
    if (!keyId.test(id)) throw new Error(`${where}: the id is 1-32 letters, digits, "-" or "_"`);
    if (!base64.test(material) || material.length % 4 !== 0) throw new Error(`${where} (${id}) is not base64`);
    const key = Buffer.from(material, "base64");
    if (key.length !== KEY_BYTES) {
      throw new Error(`${where} (${id}) is ${key.length} bytes; an AES-256 key is ${KEY_BYTES}`);
    }
    if (keys.some((known) => known.id === id)) throw new Error(`${where}: the id "${id}" is given twice`);
    keys.push({ id, key });
  });
  const [first, ...rest] = keys;
  if (!first) throw new Error(`${name} holds no key`);
  return [first, ...rest];
}

export function secretKeysEnv(name: string): EnvVar<SecretKeyring | null> {
  return {
    name,
    description:
      'Keys webhook secrets are encrypted with at rest (AES-256-GCM): "<id>:<base64 of 32 random bytes>", comma-separated; the first encrypts, all decrypt (rotation: put the new key first, keep the old until no row uses it). Required in production; elsewhere a key is generated in ASKY_KEYS_DIR',
    required: false,
    parse: (raw) => (raw === undefined || raw.trim() === "" ? null : parseSecretKeys(name, raw)),
  };
}

/** `<id>:<base64>`: the variable's format, so a development key can be copied into it. */
export function formatSecretKey(key: SecretKey): string {
  return `${key.id}:${key.key.toString("base64")}`;
}

export const developmentKeyFile = (keysDir: string) => path.join(keysDir, "reports.webhook-secret-keys");

/**
 * The keyring of this process. Production takes it from WEBHOOK_SECRET_KEYS and refuses to
 * start without (an invented key would lose every secret at the next restart); development
 * and tests generate one in the key folder on first start, as the signing keys are, so that
 * restarts and replicas of one stack share it.
 */
export function loadSecretKeyring(source: {
  readonly configured: SecretKeyring | null;
  readonly production: boolean;
  readonly keysDir: string;
}): SecretKeyring {
  if (source.configured) return source.configured;
  if (source.production) {
    throw new Error("WEBHOOK_SECRET_KEYS is required in production (the keys webhook secrets are encrypted with)");
  }
  const file = developmentKeyFile(source.keysDir);
  // Only the key folder is private (its parent is the stack's data folder).
  mkdirSync(path.dirname(source.keysDir), { recursive: true });
  mkdirSync(source.keysDir, { recursive: true, mode: 0o700 });
  const generated = formatSecretKey({ id: `dev-${randomBytes(4).toString("hex")}`, key: randomBytes(KEY_BYTES) });
  try {
    // `wx` fails when a replica created the file first; then its key wins.
    writeFileSync(file, `${generated}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseSecretKeys(file, readFileSync(file, "utf8"));
}
