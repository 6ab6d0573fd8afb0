import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("generated resolver types", () => {
  it("are up to date with every subgraph schema (run `npm run codegen` when this fails)", async () => {
    // --check makes codegen exit non-zero when a generated file would change.
    const result = await run("npx", ["graphql-codegen", "--config", "codegen.yml", "--check"], {
      cwd: new URL("../..", import.meta.url),
    }).then(
      () => ({ ok: true, output: "" }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout}${error.stderr}` }),
    );
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });
});
