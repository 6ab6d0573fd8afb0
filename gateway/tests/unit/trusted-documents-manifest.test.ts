import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest, sha256Hex, validateManifest } from "../../src/trusted-documents/manifest.js";
import { loadTrustedDocuments } from "../../src/trusted-documents/trusted-documents.js";
import { defaultManifestPath } from "../../src/trusted-documents/trusted-documents-config.js";

const me = "query Me { me { id } }";
const entry = (document: string) => ({ [sha256Hex(document)]: document });
const silent = { info: () => undefined, warn: () => undefined } as unknown as Parameters<
  typeof loadTrustedDocuments
>[1];

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "asky-manifest-")), "persisted-documents.json");
  writeFileSync(path, content);
  return path;
}

describe("validateManifest", () => {
  it("accepts documents keyed by the sha256 hex of their text", () => {
    const manifest = validateManifest({ ...entry(me), ...entry("subscription S { requestEvents { cursor } }") }, "m");
    expect(manifest.get(sha256Hex(me))).toBe(me);
    expect(manifest.size).toBe(2);
  });

  it.each([
    ["an array", [me], /expected an object/],
    ["null", null, /expected an object/],
    ["a key that is not the document's hash", { [sha256Hex(`${me} `)]: me }, /is not the sha256 of its document/],
    ["an upper-case key", { [sha256Hex(me).toUpperCase()]: me }, /not a lower-case sha256 hex/],
    ["a key that is no hash at all", { me }, /not a lower-case sha256 hex/],
    ["a document that is not a string", { [sha256Hex(me)]: { query: me } }, /is not a string/],
    ["a document that does not parse", entry("query Me { me { id }"), /does not parse/],
    ["a document without an operation", entry("fragment F on User { id }"), /holds no operation/],
  ])("refuses %s, naming the file", (_what, json, problem) => {
    expect(() => validateManifest(json, "/x/manifest.json")).toThrow(problem);
    expect(() => validateManifest(json, "/x/manifest.json")).toThrow(/\/x\/manifest\.json/);
  });

  it("never copies a huge key into its message", () => {
    const huge = "k".repeat(1_000_000);
    let message = "";
    try {
      validateManifest({ [huge]: me }, "m");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(300);
  });
});

describe("readManifest", () => {
  it("reads a file, is null without one, and refuses one that is not JSON", async () => {
    expect((await readManifest(file(JSON.stringify(entry(me)))))?.size).toBe(1);
    expect(await readManifest(join(tmpdir(), "no-such-dir-asky", "m.json"))).toBeNull();
    await expect(readManifest(file("{ not json"))).rejects.toThrow(/is not JSON/);
  });

  it("accepts the SDK's manifest as committed", async () => {
    const manifest = await readManifest(defaultManifestPath);
    expect(manifest).not.toBeNull();
    expect(manifest!.size).toBeGreaterThan(0);
  });
});

describe("loadTrustedDocuments at start", () => {
  const config = (overrides: Partial<Parameters<typeof loadTrustedDocuments>[0]>) => ({
    trustedDocuments: "allowed" as const,
    trustedDocumentsManifest: defaultManifestPath,
    trustedDocumentsExplorer: "deny" as const,
    nodeEnv: "test",
    ...overrides,
  });
  const missing = join(tmpdir(), "no-such-dir-asky", "persisted-documents.json");

  it("refuses a missing manifest when required, or when one was named", async () => {
    await expect(
      loadTrustedDocuments(config({ trustedDocuments: "required", trustedDocumentsManifest: missing }), silent, null),
    ).rejects.toThrow(/not found \(TRUSTED_DOCUMENTS=required\)/);
    await expect(loadTrustedDocuments(config({ trustedDocumentsManifest: missing }), silent, null)).rejects.toThrow(
      /not found/,
    );
  });

  it("refuses a bad manifest in every mode that reads one", async () => {
    const bad = file(JSON.stringify({ [sha256Hex("x")]: me }));
    for (const mode of ["allowed", "required"] as const) {
      await expect(
        loadTrustedDocuments(config({ trustedDocuments: mode, trustedDocumentsManifest: bad }), silent, null),
      ).rejects.toThrow(/is not the sha256 of its document/);
    }
  });

  it("reads no manifest when off", async () => {
    const trusted = await loadTrustedDocuments(
      config({ trustedDocuments: "off", trustedDocumentsManifest: missing }),
      silent,
      null,
    );
    expect(trusted.manifest.size).toBe(0);
  });
});
