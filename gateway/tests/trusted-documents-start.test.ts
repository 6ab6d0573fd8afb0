/**
 * Trusted documents at the gateway's start: a manifest with a key that is not its document's hash,
 * a document that does not parse or a manifest that is not an object stops the start, and so do
 * TRUSTED_DOCUMENTS=required without a manifest and a mode the gateway does not know.
 */
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";
import { serviceDir, serviceEntry, tsxImport } from "@asky/stack/services";
import { sha256, ME, AD_HOC, writeManifest } from "./support/trusted-documents.js";

const stack = testStack();

describe("at start", () => {
  /** A gateway that must refuse to start: its exit code and what it logged. */
  function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ["--import", tsxImport(), serviceEntry("gateway")], {
      cwd: serviceDir("gateway"),
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        NATS_URL: stack.natsUrl,
        ASKY_KEYS_DIR: stack.keysDir,
        USERS_URL: stack.subgraphUrls.users,
        DISPENSERS_URL: stack.subgraphUrls.dispensers,
        REQUESTS_URL: stack.subgraphUrls.requests,
        REPORTS_URL: stack.subgraphUrls.reports,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
  }

  it.each([
    [
      "a key that is not its document's hash",
      { TRUSTED_DOCUMENTS: "required" },
      { [sha256(AD_HOC)]: ME },
      /is not the sha256 of its document/,
    ],
    [
      "a document that does not parse",
      { TRUSTED_DOCUMENTS: "allowed" },
      { [sha256("query {")]: "query {" },
      /does not parse/,
    ],
    ["a manifest that is not an object", { TRUSTED_DOCUMENTS: "required" }, [ME], /expected an object/],
  ])("refuses %s", async (_what, env, entries, problem) => {
    const { code, output } = await refusedStart({
      ...env,
      TRUSTED_DOCUMENTS_MANIFEST: writeManifest(entries as Record<string, unknown>),
    });
    expect(code).toBe(1);
    expect(output).toMatch(problem);
    expect(output).toContain("failed to start");
  });

  it("refuses TRUSTED_DOCUMENTS=required without a manifest, and a mode it does not know", async () => {
    const missing = await refusedStart({
      TRUSTED_DOCUMENTS: "required",
      TRUSTED_DOCUMENTS_MANIFEST: join(tmpdir(), "asky-no-such-dir", "persisted-documents.json"),
    });
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/not found \(TRUSTED_DOCUMENTS=required\)/);
    const unknownMode = await refusedStart({ TRUSTED_DOCUMENTS: "strict" });
    expect(unknownMode.code).toBe(1);
    expect(unknownMode.output).toMatch(/TRUSTED_DOCUMENTS must be one of off, allowed, required/);
  });
});
