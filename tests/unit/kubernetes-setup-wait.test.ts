/**
 * deploy/kubernetes/base/wait-for-setup.mjs, the subgraphs' init container, against a fake
 * Kubernetes API: it asks for its one Job with the pod's token, exits 0 once the Job has
 * succeeded, and otherwise keeps waiting (a failed Job is reported, never taken for done).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../deploy/kubernetes/base/wait-for-setup.mjs", import.meta.url));
const job = "asky-setup-database-1.2.3";

interface FakeApi {
  readonly url: string;
  readonly requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** Answers each GET with the next of `answers` (the last one repeats). */
async function fakeApi(answers: ReadonlyArray<{ status: number; body: unknown }>): Promise<FakeApi> {
  const requests: FakeApi["requests"] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    const answer = answers[Math.min(requests.length, answers.length) - 1]!;
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Runs the script for at most `ms`; resolves with its exit code (null when still waiting) and output. */
async function runWait(api: FakeApi, ms: number): Promise<{ code: number | null; output: string }> {
  const credentials = await mkdtemp(path.join(tmpdir(), "asky-setup-wait-"));
  cleanup.push(() => rm(credentials, { recursive: true, force: true }));
  await writeFile(path.join(credentials, "token"), "pod-token\n");
  await writeFile(path.join(credentials, "namespace"), "asky");
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH,
      SETUP_JOB: job,
      SETUP_WAIT_CREDENTIALS: credentials,
      SETUP_WAIT_INTERVAL_MS: "20",
      KUBERNETES_API_URL: api.url,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));
  const code = await Promise.race([exited, timer]);
  if (code === null) {
    child.kill("SIGKILL");
    await exited;
  }
  return { code, output };
}

describe("wait-for-setup.mjs", () => {
  it("asks for its Job with the pod's token and exits 0 once it has succeeded", async () => {
    const api = await fakeApi([
      { status: 404, body: { message: "not found" } },
      { status: 200, body: { status: { active: 1 } } },
      { status: 200, body: { status: { succeeded: 1 } } },
    ]);
    cleanup.push(() => api.close());
    const { code, output } = await runWait(api, 10_000);
    expect(code).toBe(0);
    expect(api.requests).toHaveLength(3);
    expect(api.requests[0]).toEqual({
      path: `/apis/batch/v1/namespaces/asky/jobs/${job}`,
      authorization: "Bearer pod-token",
    });
    expect(output).toContain("not created yet");
    expect(output).toContain(`job/${job} succeeded`);
  });

  it("keeps waiting for a Job that failed, or that it may not read", async () => {
    for (const answer of [
      { status: 200, body: { status: { failed: 9, conditions: [{ type: "Failed", status: "True" }] } } },
      { status: 403, body: { message: "forbidden" } },
    ]) {
      const api = await fakeApi([answer]);
      cleanup.push(() => api.close());
      const { code, output } = await runWait(api, 1_000);
      expect(code).toBeNull();
      expect(api.requests.length).toBeGreaterThan(3);
      expect(output).toMatch(answer.status === 403 ? /API answered 403: forbidden/ : /failed: see `kubectl logs/);
    }
  });
});
