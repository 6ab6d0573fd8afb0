import { describe, expect, it } from "vitest";
import { RefusedRequest } from "@asky/runtime";
import type { Viewer } from "@asky/contracts";
import { decideOperation, type OperationRequest } from "../../src/trusted-documents/decide-operation.js";
import { sha256Hex, validateManifest } from "../../src/trusted-documents/manifest.js";
import { TrustedDocuments } from "../../src/trusted-documents/trusted-documents.js";
import { TRUSTED_DOCUMENT_MODES } from "../../src/trusted-documents/trusted-documents-config.js";

const registered = "query Me { me { id } }";
const adHoc = "{ me { nickname } }";
const manifest = validateManifest({ [sha256Hex(registered)]: registered }, "test");
const byHash = (hash: string, query?: string, extra: Record<string, unknown> = {}): OperationRequest => ({
  ...(query === undefined ? {} : { query }),
  extensions: { ...extra, persistedQuery: { version: 1, sha256Hash: hash } },
});
const admin: Viewer = { id: "a", role: "ADMIN", ward: null };
const nurse: Viewer = { id: "n", role: "NURSE", ward: "UTI-ADULTO" };

/** Every mode against the same requests: what each one runs, or why it refuses. */
const outcome = (mode: (typeof TRUSTED_DOCUMENT_MODES)[number], request: OperationRequest, adHocAllowed = false) => {
  const decision = decideOperation(mode, manifest, request, adHocAllowed);
  switch (decision.kind) {
    case "as-sent":
      return "as-sent";
    case "run":
      return `run:${decision.query === registered ? "registered" : "text"}`;
    case "refuse":
      return decision.reason;
  }
};

describe("decideOperation", () => {
  const table: Array<[string, OperationRequest, Record<(typeof TRUSTED_DOCUMENT_MODES)[number], string>]> = [
    ["ad-hoc text", { query: adHoc }, { off: "as-sent", allowed: "as-sent", required: "PERSISTED_QUERY_REQUIRED" }],
    ["nothing at all", {}, { off: "as-sent", allowed: "as-sent", required: "PERSISTED_QUERY_REQUIRED" }],
    [
      "a registered hash",
      byHash(sha256Hex(registered)),
      { off: "PERSISTED_QUERY_NOT_FOUND", allowed: "run:registered", required: "run:registered" },
    ],
    [
      "a registered hash, upper-case",
      byHash(sha256Hex(registered).toUpperCase()),
      { off: "PERSISTED_QUERY_NOT_FOUND", allowed: "run:registered", required: "run:registered" },
    ],
    [
      "a registered hash with its text",
      byHash(sha256Hex(registered), registered),
      { off: "run:registered", allowed: "run:registered", required: "run:registered" },
    ],
    [
      'a registered hash with query "" (graphql-ws)',
      byHash(sha256Hex(registered), ""),
      { off: "PERSISTED_QUERY_NOT_FOUND", allowed: "run:registered", required: "run:registered" },
    ],
    [
      "an unknown hash",
      byHash(sha256Hex(adHoc)),
      { off: "PERSISTED_QUERY_NOT_FOUND", allowed: "PERSISTED_QUERY_NOT_FOUND", required: "PERSISTED_QUERY_NOT_FOUND" },
    ],
    [
      "an unknown hash with its text",
      byHash(sha256Hex(adHoc), adHoc),
      { off: "run:text", allowed: "run:text", required: "PERSISTED_QUERY_NOT_FOUND" },
    ],
    [
      "a registered hash with other text",
      byHash(sha256Hex(registered), adHoc),
      {
        off: "PERSISTED_QUERY_HASH_MISMATCH",
        allowed: "PERSISTED_QUERY_HASH_MISMATCH",
        required: "PERSISTED_QUERY_HASH_MISMATCH",
      },
    ],
    [
      "a hash that is not hex",
      byHash("z".repeat(64)),
      { off: "PERSISTED_QUERY_INVALID", allowed: "PERSISTED_QUERY_INVALID", required: "PERSISTED_QUERY_INVALID" },
    ],
    [
      "a megabyte hash",
      byHash("a".repeat(1_000_000)),
      { off: "PERSISTED_QUERY_INVALID", allowed: "PERSISTED_QUERY_INVALID", required: "PERSISTED_QUERY_INVALID" },
    ],
    [
      "version 2",
      { extensions: { persistedQuery: { version: 2, sha256Hash: sha256Hex(registered) } } },
      {
        off: "PERSISTED_QUERY_VERSION_UNSUPPORTED",
        allowed: "PERSISTED_QUERY_VERSION_UNSUPPORTED",
        required: "PERSISTED_QUERY_VERSION_UNSUPPORTED",
      },
    ],
    [
      "persistedQuery as an array",
      { extensions: { persistedQuery: [1, sha256Hex(registered)] } },
      { off: "PERSISTED_QUERY_INVALID", allowed: "PERSISTED_QUERY_INVALID", required: "PERSISTED_QUERY_INVALID" },
    ],
    [
      "persistedQuery as a string",
      { extensions: { persistedQuery: sha256Hex(registered) } },
      { off: "PERSISTED_QUERY_INVALID", allowed: "PERSISTED_QUERY_INVALID", required: "PERSISTED_QUERY_INVALID" },
    ],
    [
      "a hash with a query that is not a string",
      { query: ["x"], extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(registered) } } },
      { off: "PERSISTED_QUERY_INVALID", allowed: "PERSISTED_QUERY_INVALID", required: "PERSISTED_QUERY_INVALID" },
    ],
    [
      "extensions as an array, with text",
      { query: adHoc, extensions: [{ persistedQuery: { version: 1, sha256Hash: sha256Hex(registered) } }] },
      { off: "as-sent", allowed: "as-sent", required: "PERSISTED_QUERY_REQUIRED" },
    ],
  ];

  it.each(table)("%s", (_what, request, expected) => {
    for (const mode of TRUSTED_DOCUMENT_MODES)
      expect(`${mode}: ${outcome(mode, request)}`).toBe(`${mode}: ${expected[mode]}`);
  });

  it("lets ad-hoc operations through under required only when they are allowed to the caller", () => {
    expect(outcome("required", { query: adHoc }, true)).toBe("as-sent");
    expect(outcome("required", byHash(sha256Hex(adHoc), adHoc), true)).toBe("run:text");
    // Never an unknown bare hash, nor a mismatch: there is no text to run.
    expect(outcome("required", byHash(sha256Hex(adHoc)), true)).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(outcome("required", byHash(sha256Hex(registered), adHoc), true)).toBe("PERSISTED_QUERY_HASH_MISMATCH");
  });
});

describe("TrustedDocuments.admit", () => {
  const refusal = (run: () => unknown): RefusedRequest => {
    try {
      run();
    } catch (error) {
      if (error instanceof RefusedRequest) return error;
      throw error;
    }
    throw new Error("not refused");
  };

  it("answers refusals as HTTP 400 client errors with the contract's codes, and counts them by reason", () => {
    const counted: unknown[] = [];
    const trusted = new TrustedDocuments("required", manifest, "deny", { add: (_n, labels) => counted.push(labels) });
    const required = refusal(() => trusted.admit({ query: adHoc }, nurse));
    expect(required.status).toBe(400);
    expect(required.error.extensions).toEqual({ code: "PERSISTED_QUERY_REQUIRED" });
    const notFound = refusal(() => trusted.admit(byHash(sha256Hex(adHoc)), nurse));
    expect(notFound.error.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
    const mismatch = refusal(() => trusted.admit(byHash(sha256Hex(registered), adHoc), nurse));
    expect(mismatch.error.extensions).toEqual({ code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_HASH_MISMATCH" });
    expect(counted).toEqual([
      { reason: "PERSISTED_QUERY_REQUIRED" },
      { reason: "PERSISTED_QUERY_NOT_FOUND" },
      { reason: "PERSISTED_QUERY_HASH_MISMATCH" },
    ]);
  });

  it("resolves a hash to its document and drops only persistedQuery from the extensions", () => {
    const trusted = new TrustedDocuments("required", manifest, "deny");
    const request = { operationName: "Me", variables: { a: 1 }, ...byHash(sha256Hex(registered), "", { trace: true }) };
    expect(trusted.resolve(request, nurse)).toEqual({
      operationName: "Me",
      variables: { a: 1 },
      query: registered,
      extensions: { trace: true },
    });
    const sent = { query: adHoc, extensions: { trace: true } };
    expect(new TrustedDocuments("allowed", manifest, "deny").resolve(sent, nurse)).toBe(sent);
  });

  it("lets an ADMIN run ad-hoc operations under required only with TRUSTED_DOCUMENTS_EXPLORER=admins", () => {
    const admins = new TrustedDocuments("required", manifest, "admins");
    expect(admins.admit({ query: adHoc }, admin)).toBeUndefined();
    expect(refusal(() => admins.admit({ query: adHoc }, nurse)).error.extensions.code).toBe("PERSISTED_QUERY_REQUIRED");
    expect(refusal(() => admins.admit({ query: adHoc }, null)).error.extensions.code).toBe("PERSISTED_QUERY_REQUIRED");
    const deny = new TrustedDocuments("required", manifest, "deny");
    expect(refusal(() => deny.admit({ query: adHoc }, admin)).error.extensions.code).toBe("PERSISTED_QUERY_REQUIRED");
  });
});
