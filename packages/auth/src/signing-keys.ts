import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

/** Every Asky token is ES256: small signatures, and verifiers pin it. */
export const SIGNING_ALGORITHM = "ES256";

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface KeySetFile {
  keys: JWK[];
}

export class KeyConfigError extends Error {
  override name = "KeyConfigError";
}

async function toSigningKey(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.d !== "string" || typeof jwk.kid !== "string") {
    throw new KeyConfigError("signing keys must be private P-256 JWKs with a kid");
  }
  const privateKey = (await importJWK({ ...jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey;
  const { d: _private, ...publicJwk } = jwk;
  return { kid: jwk.kid, privateKey, publicJwk: { ...publicJwk, alg: SIGNING_ALGORITHM, use: "sig" } };
}

export async function generateSigningJwk(owner: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The kid names the owner so a log line tells whose key signed a token.
  const kid = `${owner}-${(await calculateJwkThumbprint(jwk)).slice(0, 16)}`;
  return { ...jwk, kid, alg: SIGNING_ALGORITHM, use: "sig" };
}

/** Writes atomically so a reader never sees half a key file. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, file);
}

export const privateKeyFile = (keysDir: string, owner: string) => path.join(keysDir, `${owner}.private.jwks.json`);
export const publicKeyFile = (keysDir: string, owner: string) => path.join(keysDir, `${owner}.public.jwks.json`);

/**
 * Key material in configuration is either the JSON itself or the path of a file holding
 * it (a mounted secret), so that production can keep keys out of the environment.
 */
export async function readKeyMaterial(value: string): Promise<string> {
  const trimmed = value.trim();
  return trimmed.startsWith("{") ? trimmed : readFile(trimmed, "utf8");
}

export interface SigningKeySource {
  /** Owner of the keys, e.g. `users` or `gateway`; prefixes generated kids. */
  owner: string;
  /**
   * JSON `{"keys":[private JWK, ...]}`, or the path of a file holding it: the first key
   * signs, the others stay published for rotation.
   */
  jwks: string | undefined;
  /** Development key store: generated on first start and kept across restarts. */
  keysDir: string | undefined;
  production: boolean;
}

/**
 * Loads a service's signing keys. Production takes them from configuration and refuses to
 * invent any; development generates a key on first start and keeps it in the key folder,
 * publishing the public half there for the other local services to trust.
 */
/** A non-empty key list: the first key signs. */
export type SigningKeys = readonly [SigningKey, ...SigningKey[]];

export async function loadSigningKeys(source: SigningKeySource): Promise<SigningKeys> {
  let jwks: JWK[];
  if (source.jwks) {
    try {
      jwks = (JSON.parse(await readKeyMaterial(source.jwks)) as KeySetFile).keys;
    } catch {
      throw new KeyConfigError(`signing keys of ${source.owner} are not a JSON key set`);
    }
  } else if (!source.production && source.keysDir) {
    jwks = await developmentKeys(source.owner, source.keysDir);
  } else {
    throw new KeyConfigError(`no signing keys configured for ${source.owner}`);
  }
  if (!Array.isArray(jwks) || jwks.length === 0)
    throw new KeyConfigError(`signing key set of ${source.owner} is empty`);
  const [first, ...rest] = await Promise.all(jwks.map(toSigningKey));
  if (!first) throw new KeyConfigError(`signing key set of ${source.owner} is empty`);
  const keys: SigningKeys = [first, ...rest];
  if (source.keysDir && !source.production) {
    await writeAtomically(publicKeyFile(source.keysDir, source.owner), JSON.stringify(publicKeySet(keys), null, 2));
  }
  return keys;
}

async function developmentKeys(owner: string, keysDir: string): Promise<JWK[]> {
  // Only the key folder is private: a recursive mkdir would give its parents (the stack's
  // data folder, which Postgres' OS user must traverse) the same 0700.
  await mkdir(path.dirname(keysDir), { recursive: true });
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const file = privateKeyFile(keysDir, owner);
  try {
    return (JSON.parse(await readFile(file, "utf8")) as KeySetFile).keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keys = [await generateSigningJwk(owner)];
  try {
    // `wx` fails if a replica created the file first; then its key wins.
    await writeFile(file, JSON.stringify({ keys }, null, 2), { flag: "wx", mode: 0o600 });
    return keys;
  } catch {
    return (JSON.parse(await readFile(file, "utf8")) as KeySetFile).keys;
  }
}

export function publicKeySet(keys: readonly SigningKey[]): KeySetFile {
  return { keys: keys.map((key) => key.publicJwk) };
}
