/**
 * What the image runs, run here: `npm run build`'s folder, copied nowhere near the repository
 * (so no node_modules above it can lend a missing package), started as the image starts it —
 * `node setup-database.js`, then `node <service>.js` for the three subgraphs and the gateway,
 * no TypeScript loader — over a Postgres and a NATS of its own. It must serve the federated
 * API, subscriptions and the explorer, export its traces over OTLP (bundling must not break
 * the exporters), and write nothing into its own folder (the image's root filesystem is read-only).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liftedRateLimits, startStack, type Stack } from "@asky/stack";
import {
  createRequest,
  DEMO_PASSWORD,
  fixtureFor,
  postGraphQL,
  startOtlpReceiver,
  type OtlpReceiver,
} from "@asky/stack/testing";
import { buildRuntime, type BuildResult } from "../scripts/build/build.js";
import { clientSpan } from "./support/traced-client.js";

let scratch: string;
let built: BuildResult;
let stack: Stack;
let before: Map<string, string>;
let receiver: OtlpReceiver;
const lines: string[] = [];

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stats = statSync(path);
        files.set(relative(dir, path), `${stats.size}:${stats.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return files;
}

async function signIn(email: string): Promise<string> {
  const { body } = await postGraphQL<{ login: { accessToken: string } }>(
    stack.gatewayUrl,
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`,
    { email, password: DEMO_PASSWORD },
  );
  const token = body.data?.login.accessToken;
  if (!token) throw new Error(`login ${email} failed: ${JSON.stringify(body.errors)}`);
  return token;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "asky-built-"));
  built = await buildRuntime({ outDir: join(scratch, "app") });
  before = snapshot(built.outDir);
  receiver = await startOtlpReceiver();
  // No protocol named: the exporters' default, protobuf, as a deployment naming only its collector gets.
  const otel = receiver.exporterEnv();
  stack = await startStack({
    build: built.outDir,
    ports: "free",
    ephemeral: true,
    databaseUrl: null,
    natsUrl: null,
    env: { gateway: { ...liftedRateLimits, ...otel }, users: otel, dispensers: otel, requests: otel },
    log: (source, line) => lines.push(`[${source}] ${line}`),
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the built runtime", () => {
  it("holds JavaScript and assets only, with node_modules limited to the native addon it cannot bundle", () => {
    const files = [...before.keys()];
    expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    expect(readdirSync(join(built.outDir, "node_modules"))).toEqual(["@node-rs"]);
    expect(built.externalPackages.map((pkg) => pkg.name).sort()).toEqual([
      "@node-rs/argon2",
      "@node-rs/argon2-linux-x64-gnu",
    ]);
    for (const name of ["gateway.js", "users.js", "dispensers.js", "requests.js", "setup-database.js"]) {
      expect(files).toContain(name);
    }
    expect(files).toContain("subgraphs/users/schema.graphql");
    expect(files).toContain("gateway/supergraph.graphql");
    expect(files.some((file) => file.startsWith("db/migrations/requests/"))).toBe(true);
    expect(files).toContain("gateway/explorer/dist/index.html");
    // A developer's signing keys never travel with a build.
    expect(files.filter((file) => file.startsWith(".data"))).toEqual([]);
  });

  it("set up the database with its own setup-database.js, and runs each service as plain `node <service>.js`", () => {
    expect(lines.some((line) => line.startsWith("[setup-database]") && line.includes("migrations applied"))).toBe(true);
    // The reports read model is projected from events, never seeded.
    const { reports: projected, ...seeded } = stack.seeded;
    expect(Object.values(seeded).every(Boolean)).toBe(true);
    expect(projected).toBe(false);
    for (const id of ["users", "dispensers", "requests", "reports", "gateway"] as const) {
      const pid = stack.processes[id]?.pid;
      expect(pid, id).toBeDefined();
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      expect(argv.at(-1)).toBe(join(built.outDir, `${id}.js`));
      expect(argv.join(" ")).not.toMatch(/tsx/);
    }
  });

  it("serves the federated API: a nurse signs in and opens requests, and the pharmacy sees them live", async () => {
    const nurse = await signIn("nurse@asky.dev");
    const pharmacist = await signIn("pharmacist@asky.dev");
    const fixture = await fixtureFor("UTI-ADULTO", nurse, stack.gatewayUrl);

    const client = createClient({
      url: stack.gatewayUrl.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${pharmacist}` },
    });
    const seen: { request: { id: string; requester: { fullName: string } }; type: string }[] = [];
    try {
      client.subscribe<{ requestEvents: (typeof seen)[number] }>(
        {
          query: `subscription { requestEvents(ward: "UTI-ADULTO") { type request { id requester { fullName } } } }`,
        },
        {
          // The turnaround clock may warn of an open request of the ward meanwhile: creations are what this follows.
          next: (value) => value.data?.requestEvents.type === "CREATED" && seen.push(value.data.requestEvents),
          error: () => {},
          complete: () => {},
        },
      );
      // graphql-ws does not acknowledge a subscribe, and a live subscription (no `after`) does
      // not replay: requests are opened until one is seen, the first few may precede it.
      const created: string[] = [];
      for (let attempt = 0; attempt < 20 && seen.length === 0; attempt++) {
        created.push((await createRequest(fixture, nurse, stack.gatewayUrl)).id);
        const deadline = Date.now() + 1_000;
        while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(seen[0]).toMatchObject({
        type: "CREATED",
        request: { requester: { fullName: "Ana Paula Oliveira Souza" } },
      });
      expect(created).toContain(seen[0]!.request.id);
    } finally {
      await client.dispose();
    }
  });

  it("exports spans over OTLP/protobuf: a client's trace continues at the gateway and into a subgraph", async () => {
    const client = clientSpan();
    const { body } = await postGraphQL<{ me: { id: string } }>(
      stack.gatewayUrl,
      `query Me { me { id } }`,
      {},
      { token: await signIn("nurse@asky.dev"), headers: { traceparent: client.traceparent } },
    );
    expect(body.errors).toBeUndefined();
    const serverSpan = (service: string) =>
      receiver.waitForSpan(
        (span) => span.traceId === client.traceId && span.service === service && span.kind === "SERVER",
        { what: `a SERVER span of ${service} in the client's trace`, traceId: client.traceId },
      );
    expect((await serverSpan("asky-gateway")).parentSpanId).toBe(client.spanId);
    await serverSpan("asky-users");
    expect(receiver.failures).toEqual([]);
    expect(receiver.exports.filter((sent) => sent.encoding !== "protobuf")).toEqual([]);
  });

  it("serves the explorer from the build", async () => {
    const response = await fetch(stack.gatewayUrl, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<div id="graphiql"|<script/);
  });

  it("serves the ward board from the build, under its Content-Security-Policy", async () => {
    expect(before.has("gateway/board/dist/index.html")).toBe(true);
    const page = await fetch(new URL("/board/", stack.gatewayUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'.*script-src 'self'/);
    const html = await page.text();
    // Vite's hashed script, referenced under the board's base path.
    const script = /<script[^>]+src="(\/board\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await fetch(new URL(script!, stack.gatewayUrl));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect((await asset.text()).length).toBeGreaterThan(0);
  });

  it("wrote nothing into its own folder", () => {
    expect(snapshot(built.outDir)).toEqual(before);
  });
});
