import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretKeyring } from "./secret-keys.js";

/**
 * Webhook secrets at rest: `v1:<key id>:<nonce>:<ciphertext>:<tag>` (base64url parts),
 * AES-256-GCM with a random 96-bit nonce. The associated data binds the version, the key id
 * and the webhook's id, so a ciphertext copied onto another webhook's row, or relabelled with
 * another key id, does not open.
 */
const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** Whether `stored` is in the encrypted format (what the start-up conversion looks for). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`);
}

function associatedData(keyId: string, webhookId: string): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${webhookId}`, "utf8");
}

export function sealSecret(keys: SecretKeyring, webhookId: string, secret: string): string {
  const [key] = keys;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(key.id, webhookId));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  const parts = [nonce, ciphertext, cipher.getAuthTag()].map((part) => part.toString("base64url"));
  return [VERSION, key.id, ...parts].join(":");
}

const base64url = /^[A-Za-z0-9_-]*$/;

function decode(part: string, what: string): Buffer {
  if (!base64url.test(part)) throw new SecretBoxError(`the stored webhook secret's ${what} is not base64url`);
  return Buffer.from(part, "base64url");
}

/** The secret `stored` holds for `webhookId`; a SecretBoxError (never garbage) otherwise. */
export function openSecret(keys: SecretKeyring, webhookId: string, stored: string): string {
  const parts = stored.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new SecretBoxError("the stored webhook secret is not in the encrypted format");
  }
  const [, keyId, noncePart, ciphertextPart, tagPart] = parts as [string, string, string, string, string];
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new SecretBoxError(`the webhook secret is encrypted with key "${keyId}", which is not configured`);
  const nonce = decode(noncePart, "nonce");
  const ciphertext = decode(ciphertextPart, "ciphertext");
  const tag = decode(tagPart, "tag");
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError("the stored webhook secret's nonce or tag has the wrong length");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, webhookId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(
      "the stored webhook secret does not decrypt for this webhook (altered, or copied from another row)",
    );
  }
}
