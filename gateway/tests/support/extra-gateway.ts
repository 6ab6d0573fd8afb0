import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testStack } from "@asky/stack/testing";
import { liftedRateLimits } from "../../../tests/support/lifted-rate-limits.js";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Another gateway process over the test stack's subgraphs, NATS and keys (a replica). */
export async function startExtraGateway(
  env: Record<string, string> = {},
): Promise<{ url: string; process: ChildProcess; stderr: () => string; stop(): void }> {
  const stack = testStack();
  const port = await freePort();
  const gatewayDir = fileURLToPath(new URL("../..", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", join(gatewayDir, "src", "index.ts")], {
    cwd: gatewayDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      NATS_URL: stack.natsUrl,
      ASKY_KEYS_DIR: stack.keysDir,
      METRICS_TOKEN: stack.metricsToken,
      USERS_URL: stack.subgraphUrls.users,
      DISPENSERS_URL: stack.subgraphUrls.dispensers,
      REQUESTS_URL: stack.subgraphUrls.requests,
      ...liftedRateLimits,
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 30_000;
  while ((await fetch(new URL("/health", url)).then((response) => response.status, () => 0)) !== 200) {
    if (child.exitCode !== null) throw new Error(`extra gateway exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("extra gateway did not become healthy");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, process: child, stderr: () => stderr, stop: () => void child.kill("SIGTERM") };
}
