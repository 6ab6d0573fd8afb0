/**
 * The client's generated documents and trusted-documents manifest match its operations and
 * the supergraph (run `npm run codegen` when this fails), and the manifest is what the
 * gateway expects: bare sha256 hex of each document's exact text.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import type { Types } from "@graphql-codegen/plugin-helpers";
import { parse as parseGraphQL, Kind } from "graphql";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import * as documents from "../../src/documents.js";
import { documentHash, operationOf } from "../../src/operation-payload.js";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const target = "packages/client/src/gql/";
const manifest = JSON.parse(readFileSync(join(root, target, "persisted-documents.json"), "utf8")) as Record<
  string,
  string
>;

describe("the client's generated documents", () => {
  it("are up to date with src/operations and the supergraph", async () => {
    const config = parseYaml(readFileSync(join(root, "codegen.yml"), "utf8")) as Types.Config & {
      generates: Record<string, Types.ConfiguredOutput>;
    };
    const outputs = await generate(
      { cwd: root, overwrite: true, silent: true, generates: { [target]: config.generates[target]! } },
      false,
    );
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(readFileSync(join(root, output.filename), "utf8"), output.filename).toBe(output.content);
    }
  }, 120_000);

  it("key the manifest by the sha256 hex of each document's text", () => {
    for (const [hash, text] of Object.entries(manifest)) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash("sha256").update(text).digest("hex")).toBe(hash);
      expect(parseGraphQL(text).definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)).toBe(
        true,
      );
    }
  });

  it("carry the hash of every operation, each in the manifest with the same operation", () => {
    const operations = Object.entries(documents).filter(([name]) => name.endsWith("Document"));
    expect(operations.length).toBe(Object.keys(manifest).length);
    for (const [name, document] of operations) {
      const hash = documentHash(document as Parameters<typeof documentHash>[0]);
      expect(hash, name).not.toBeNull();
      const text = manifest[hash!]!;
      const operation = operationOf(parseGraphQL(text));
      expect(`${operation.name?.value}Document`).toBe(name);
    }
  });
});
