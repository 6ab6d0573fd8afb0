import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Kind, parse } from "graphql";

/** The trusted documents a gateway runs by hash: sha256 hex of the text → the text. */
export type Manifest = ReadonlyMap<string, string>;

export const EMPTY_MANIFEST: Manifest = new Map();

/** A manifest the gateway refuses to start with; the message names the file and the entry. */
export class ManifestError extends Error {
  constructor(path: string, problem: string) {
    super(`Trusted documents manifest ${path}: ${problem}`);
    this.name = "ManifestError";
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** The first characters of a key for a message: a manifest is not the place for a megabyte of it. */
const shown = (key: string) => JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);

/**
 * Checks a manifest's parsed JSON: an object whose every key is the lower-case sha256 hex of
 * its value, and every value a GraphQL document that parses and holds at least one operation.
 * A hash that does not match its text would run a document other than the one the client
 * means; one that does not parse would fail for every user at the first request, not at start.
 */
export function validateManifest(json: unknown, path: string): Manifest {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ManifestError(path, 'expected an object {"<sha256 hex>": "<document>"}');
  }
  const manifest = new Map<string, string>();
  for (const [key, document] of Object.entries(json as Record<string, unknown>)) {
    if (!SHA256_HEX.test(key)) throw new ManifestError(path, `key ${shown(key)} is not a lower-case sha256 hex`);
    if (typeof document !== "string") throw new ManifestError(path, `the document of ${key} is not a string`);
    if (sha256Hex(document) !== key) {
      throw new ManifestError(path, `key ${key} is not the sha256 of its document (${sha256Hex(document)})`);
    }
    let operations: number;
    try {
      operations = parse(document, { noLocation: true }).definitions.filter(
        (definition) => definition.kind === Kind.OPERATION_DEFINITION,
      ).length;
    } catch (error) {
      throw new ManifestError(path, `the document of ${key} does not parse: ${(error as Error).message}`);
    }
    if (operations === 0) throw new ManifestError(path, `the document of ${key} holds no operation`);
    manifest.set(key, document);
  }
  return manifest;
}

/** Reads and checks a manifest file; null when there is no file at `path`. */
export async function readManifest(path: string): Promise<Manifest | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ManifestError(path, `cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ManifestError(path, `is not JSON: ${(error as Error).message}`);
  }
  return validateManifest(json, path);
}
