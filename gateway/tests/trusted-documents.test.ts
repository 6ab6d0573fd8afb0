/**
 * Trusted documents on real gateway processes over the test stack's subgraphs and NATS:
 * TRUSTED_DOCUMENTS=required runs registered operations by hash (HTTP POST and GET, graphql-ws)
 * and refuses anything else with a coded client error before it runs; `allowed` takes both;
 * a bad or missing manifest stops the gateway at start. Requests are written through the
 * stack's own gateway (which allows ad-hoc operations), so every refusal here can be checked
 * to have changed nothing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRequest,
  demoToken,
  eventually,
  gatewayMetrics,
  gql,
  startExtraGateway,
  testStack,
  type ExtraGateway,
} from "@asky/stack/testing";
import { serviceDir, serviceEntry, tsxImport } from "@asky/stack/services";
import { wardTeam, type WardTeam } from "./support/ward-team.js";
import { sseClient } from "./support/sse-client.js";

const stack = testStack();
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const ME = "query Me { me { id role } }";
const ACCEPT = `mutation Accept($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { status version } }`;
const STATUS = `subscription Status($id: ID!) { requestStatusChanged(requestId: $id) { previousStatus status } }`;
const AD_HOC = "{ me { nickname } }";
const documents = [ME, ACCEPT, STATUS];

function writeManifest(entries: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "asky-trusted-")), "persisted-documents.json");
  writeFileSync(path, JSON.stringify(entries));
  return path;
}
const manifest = writeManifest(Object.fromEntries(documents.map((document) => [sha256(document), document])));

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const byHash = (document: string, hash = sha256(document)) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

async function post(url: string, body: unknown, token: string | null): Promise<{ status: number; body: Body }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

async function get(
  url: string,
  params: Record<string, unknown>,
  token: string,
): Promise<{ status: number; body: Body }> {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params))
    target.searchParams.set(key, typeof value === "string" ? value : JSON.stringify(value));
  const response = await fetch(target, {
    headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "true" },
  });
  return { status: response.status, body: (await response.json()) as Body };
}

const refusedRequests = async (url: string, reason: string) =>
  Number(
    new RegExp(`^asky_gateway_refused_requests_total\\{reason="${reason}"\\} (\\d+)$`, "m").exec(
      await gatewayMetrics(url),
    )?.[1] ?? 0,
  );
const activeSubscriptions = async (url: string) =>
  Number(/^asky_gateway_active_subscriptions (-?\d+)$/m.exec(await gatewayMetrics(url))?.[1] ?? Number.NaN);

/** A graphql-ws subscribe with the payload as given (query "" and extensions for a hash). */
function wsSubscribe(
  client: Client,
  payload: { query: string; variables?: Record<string, unknown>; extensions?: unknown },
) {
  const received = {
    data: [] as Record<string, unknown>[],
    errors: [] as { extensions?: Record<string, unknown> }[],
    done: false,
  };
  const stop = client.subscribe(payload as Parameters<Client["subscribe"]>[0], {
    next: (value) => {
      if (value.data) received.data.push(value.data as Record<string, unknown>);
      if (value.errors) received.errors.push(...value.errors);
    },
    error: (error) => {
      received.errors.push(...(Array.isArray(error) ? error : [{ extensions: { thrown: String(error) } }]));
      received.done = true;
    },
    complete: () => (received.done = true),
  });
  return Object.assign(received, { stop });
}

const wsClient = (url: string, token: string) =>
  createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });

async function requestState(id: string, token: string) {
  const { body } = await gql<{ request: { status: string; version: number; history: unknown[] } }>(
    "query($id: ID!) { request(id: $id) { status version history { to } } }",
    { id },
    { token },
  );
  return body.data!.request;
}

let team: WardTeam;
let required: ExtraGateway;
let sdk: ExtraGateway;
beforeAll(async () => {
  team = await wardTeam();
  // One at a time: three processes planning the supergraph at once on two cores outlast the harness's wait.
  required = await startExtraGateway({ TRUSTED_DOCUMENTS: "required", TRUSTED_DOCUMENTS_MANIFEST: manifest });
  // The SDK's own manifest (packages/client), the default; ADMIN users may still explore.
  sdk = await startExtraGateway({ TRUSTED_DOCUMENTS: "required", TRUSTED_DOCUMENTS_EXPLORER: "admins" });
}, 180_000);
afterAll(() => {
  for (const gateway of [required, sdk]) gateway?.stop();
});

const sdkManifest = JSON.parse(
  readFileSync(new URL("../../packages/client/src/gql/persisted-documents.json", import.meta.url), "utf8"),
) as Record<string, string>;
const sdkDocument = (name: RegExp) => {
  const found = Object.entries(sdkManifest).find(([, document]) => name.test(document));
  if (!found) throw new Error(`no SDK document matches ${String(name)}`);
  return { hash: found[0], document: found[1] };
};

describe("TRUSTED_DOCUMENTS=required over HTTP", () => {
  it("runs a registered operation by hash, POST and GET, with variables and operationName", async () => {
    const byPost = await post(required.url, { extensions: byHash(ME), operationName: "Me" }, team.nurse);
    expect(byPost.status).toBe(200);
    expect(byPost.body).toMatchObject({ data: { me: { role: "NURSE" } } });
    expect(byPost.body.errors).toBeUndefined();
    const byGet = await get(required.url, { extensions: byHash(ME) }, team.nurse);
    expect(byGet.status).toBe(200);
    expect(byGet.body).toEqual(byPost.body);
    // The same text along with its hash is the same registered document.
    expect((await post(required.url, { query: ME, extensions: byHash(ME) }, team.nurse)).body).toEqual(byPost.body);
  });

  it("refuses an ad-hoc operation with PERSISTED_QUERY_REQUIRED, POST and GET, and counts it", async () => {
    const before = await refusedRequests(required.url, "PERSISTED_QUERY_REQUIRED");
    for (const response of [
      await post(required.url, { query: AD_HOC }, team.nurse),
      await post(required.url, { query: AD_HOC }, null),
      await get(required.url, { query: AD_HOC }, team.nurse),
      // Introspection is an ad-hoc operation too.
      await post(required.url, { query: "{ __schema { queryType { name } } }" }, null),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors).toEqual([
        {
          message: expect.stringContaining("registered operations only") as unknown,
          extensions: { code: "PERSISTED_QUERY_REQUIRED" },
        },
      ]);
    }
    expect(await refusedRequests(required.url, "PERSISTED_QUERY_REQUIRED")).toBe(before + 4);
  });

  it("refuses an unknown hash with PERSISTED_QUERY_NOT_FOUND, with or without its text", async () => {
    for (const response of [
      await post(required.url, { extensions: byHash(AD_HOC) }, team.nurse),
      await post(required.url, { query: AD_HOC, extensions: byHash(AD_HOC) }, team.nurse),
      await get(required.url, { extensions: byHash(AD_HOC) }, team.nurse),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
    }
  });

  it("refuses mismatched and malformed persisted queries with coded errors, and runs none of them", async () => {
    const request = await createRequest(team.fixture, team.nurse);
    const before = await requestState(request.id, team.pharmacist);
    const variables = { input: { requestId: request.id, status: "ACCEPTED", expectedVersion: request.version } };
    const hash = sha256(ACCEPT);
    const attempts: Array<[unknown, string]> = [
      [{ query: ACCEPT, variables }, "PERSISTED_QUERY_REQUIRED"],
      // A registered hash with another text: the text would run, so neither does.
      [
        { query: ACCEPT.replace("status version", "status"), variables, extensions: byHash(ACCEPT) },
        "PERSISTED_QUERY_HASH_MISMATCH",
      ],
      [{ query: ACCEPT, variables, extensions: byHash(ME) }, "PERSISTED_QUERY_HASH_MISMATCH"],
      [
        { variables, extensions: { persistedQuery: { version: 2, sha256Hash: hash } } },
        "PERSISTED_QUERY_VERSION_UNSUPPORTED",
      ],
      [
        { variables, extensions: { persistedQuery: { version: "1", sha256Hash: hash } } },
        "PERSISTED_QUERY_VERSION_UNSUPPORTED",
      ],
      [{ variables, extensions: byHash(ACCEPT, "g".repeat(64)) }, "PERSISTED_QUERY_INVALID"],
      [{ variables, extensions: byHash(ACCEPT, hash.slice(1)) }, "PERSISTED_QUERY_INVALID"],
      [{ variables, extensions: byHash(ACCEPT, "a".repeat(100_000)) }, "PERSISTED_QUERY_INVALID"],
      [{ variables, extensions: { persistedQuery: [1, hash] } }, "PERSISTED_QUERY_INVALID"],
      [{ variables, extensions: { persistedQuery: hash } }, "PERSISTED_QUERY_INVALID"],
      [{ variables, extensions: { persistedQuery: { version: 1, sha256Hash: [hash] } } }, "PERSISTED_QUERY_INVALID"],
      [{ query: { text: ACCEPT }, variables, extensions: byHash(ACCEPT) }, "PERSISTED_QUERY_INVALID"],
      [{ query: ACCEPT, variables, extensions: [byHash(ACCEPT)] }, "PERSISTED_QUERY_REQUIRED"],
    ];
    for (const [body, reason] of attempts) {
      const response = await post(required.url, body, team.pharmacist);
      expect(response.status, reason).toBe(400);
      expect(response.body.data ?? null).toBeNull();
      const extensions = response.body.errors?.[0]?.extensions;
      expect(extensions?.reason ?? extensions?.code, JSON.stringify(body).slice(0, 200)).toBe(reason);
      expect(["PERSISTED_QUERY_REQUIRED", "PERSISTED_QUERY_NOT_FOUND", "BAD_USER_INPUT"]).toContain(extensions?.code);
      expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|aaaaaaaaaaaaaaaa|INTERNAL_SERVER_ERROR/);
    }
    // A batch is refused as a whole (Apollo Server's batching is off), the registered mutation in it too.
    const batch = await fetch(required.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${team.pharmacist}` },
      body: JSON.stringify([
        { query: ACCEPT, variables },
        { extensions: byHash(ACCEPT), variables },
      ]),
    });
    expect(batch.status).toBe(400);
    expect(await requestState(request.id, team.pharmacist)).toEqual(before);
    // The registered mutation, by hash, does run: the refusals above were not for its content.
    const accepted = await post(required.url, { extensions: byHash(ACCEPT), variables }, team.pharmacist);
    expect(accepted.body).toEqual({
      data: { changeRequestStatus: { status: "ACCEPTED", version: request.version + 1 } },
    });
  });

  it("leaves /health and the CSV report routes alone", async () => {
    expect((await fetch(new URL("/health", required.url))).status).toBe(200);
    const csv = new URL("/reports/controlled-book.csv", required.url);
    csv.searchParams.set("list", "A1");
    csv.searchParams.set("from", new Date(Date.now() - 86_400_000).toISOString());
    csv.searchParams.set("to", new Date().toISOString());
    const response = await fetch(csv, { headers: { authorization: `Bearer ${team.pharmacist}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/csv/);
  });
});

describe("TRUSTED_DOCUMENTS=required over graphql-ws", () => {
  it("runs a registered subscription by hash and delivers its events", async () => {
    const request = await createRequest(team.fixture, team.nurse);
    const client = wsClient(required.url, team.nurse);
    try {
      const received = wsSubscribe(client, { query: "", variables: { id: request.id }, extensions: byHash(STATUS) });
      await eventually(async () => (await activeSubscriptions(required.url)) >= 1, 15_000, "the subscription to start");
      await post(
        stack.gatewayUrl,
        {
          query: ACCEPT,
          variables: { input: { requestId: request.id, status: "ACCEPTED", expectedVersion: request.version } },
        },
        team.pharmacist,
      );
      await eventually(async () => JSON.stringify(received.data).includes('"ACCEPTED"'), 15_000, "the ACCEPTED event");
      expect(received.errors).toEqual([]);
      // The request's CREATED event comes first when its outbox relay publishes it after the subscription started.
      expect(received.data.at(-1)).toEqual({ requestStatusChanged: { previousStatus: "PENDING", status: "ACCEPTED" } });
      expect(received.data.slice(0, -1)).toEqual(
        received.data.length > 1 ? [{ requestStatusChanged: { previousStatus: null, status: "PENDING" } }] : [],
      );
      // A registered query over the socket runs too.
      const me = wsSubscribe(client, { query: "", extensions: byHash(ME) });
      await eventually(async () => me.done, 15_000, "the query over the socket");
      expect(me.data).toEqual([{ me: { id: expect.any(String) as unknown, role: "NURSE" } }]);
    } finally {
      await client.dispose();
    }
  });

  it("refuses ad-hoc operations, unknown hashes and malformed ones with coded errors", async () => {
    const client = wsClient(required.url, team.nurse);
    try {
      const cases: Array<
        [{ query: string; variables?: Record<string, unknown>; extensions?: unknown }, Record<string, unknown>]
      > = [
        [
          { query: STATUS, variables: { id: "00000000-0000-0000-0000-000000000000" } },
          { code: "PERSISTED_QUERY_REQUIRED" },
        ],
        [{ query: AD_HOC }, { code: "PERSISTED_QUERY_REQUIRED" }],
        [{ query: "", extensions: byHash(AD_HOC) }, { code: "PERSISTED_QUERY_NOT_FOUND" }],
        [
          { query: AD_HOC, extensions: byHash(ME) },
          { code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_HASH_MISMATCH" },
        ],
        [
          { query: "", extensions: { persistedQuery: { version: 2, sha256Hash: sha256(ME) } } },
          { code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_VERSION_UNSUPPORTED" },
        ],
        [
          { query: "", extensions: { persistedQuery: ["x"] } },
          { code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_INVALID" },
        ],
      ];
      for (const [payload, expected] of cases) {
        const received = wsSubscribe(client, payload);
        await eventually(async () => received.done, 15_000, "the refusal");
        expect(received.data).toEqual([]);
        expect(
          received.errors.map((error) => error.extensions),
          JSON.stringify(payload),
        ).toEqual([expected]);
      }
      // The socket itself stays open for registered operations.
      const me = wsSubscribe(client, { query: "", extensions: byHash(ME) });
      await eventually(async () => me.done, 15_000, "the query after the refusals");
      expect(me.errors).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});

describe("TRUSTED_DOCUMENTS=required over SSE (POST /graphql/stream)", () => {
  /** A graphql-sse subscribe with the payload as given: what arrived, and whether the gateway answered. */
  function sseSubscribe(
    token: string,
    payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
  ) {
    const client = sseClient(required.url, token);
    const received = {
      data: [] as unknown[],
      errors: [] as { extensions?: Record<string, unknown> }[],
      connected: false,
      done: false,
    };
    const stop = client.subscribe(
      payload,
      {
        next: (value) => {
          if (value.data) received.data.push(value.data);
          if (value.errors) received.errors.push(...value.errors);
        },
        error: () => (received.done = true),
        complete: () => (received.done = true),
      },
      { connected: () => (received.connected = true) },
    );
    return Object.assign(received, { stop: () => (stop(), client.dispose()) });
  }

  it("runs a registered subscription by hash and delivers its events", async () => {
    const request = await createRequest(team.fixture, team.nurse);
    const received = sseSubscribe(team.nurse, { query: "", variables: { id: request.id }, extensions: byHash(STATUS) });
    try {
      await eventually(async () => received.connected, 15_000, "the stream to open");
      await post(
        stack.gatewayUrl,
        {
          query: ACCEPT,
          variables: { input: { requestId: request.id, status: "ACCEPTED", expectedVersion: request.version } },
        },
        team.pharmacist,
      );
      await eventually(async () => JSON.stringify(received.data).includes('"ACCEPTED"'), 15_000, "the ACCEPTED event");
      expect(received.errors).toEqual([]);
      // The request's CREATED event comes first when its outbox relay publishes it after the subscription started.
      expect(received.data.at(-1)).toEqual({ requestStatusChanged: { previousStatus: "PENDING", status: "ACCEPTED" } });
      expect(received.data.slice(0, -1)).toEqual(
        received.data.length > 1 ? [{ requestStatusChanged: { previousStatus: null, status: "PENDING" } }] : [],
      );
    } finally {
      received.stop();
    }
  });

  it("refuses ad-hoc operations, unknown hashes and mismatched ones with coded errors", async () => {
    const cases: Array<
      [
        { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
        Record<string, unknown>,
      ]
    > = [
      [
        { query: STATUS, variables: { id: "00000000-0000-0000-0000-000000000000" } },
        { code: "PERSISTED_QUERY_REQUIRED" },
      ],
      [{ query: "", extensions: byHash(AD_HOC) }, { code: "PERSISTED_QUERY_NOT_FOUND" }],
      [
        { query: AD_HOC, extensions: byHash(STATUS) },
        { code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_HASH_MISMATCH" },
      ],
      [
        { query: "", extensions: { persistedQuery: { version: 2, sha256Hash: sha256(STATUS) } } },
        { code: "BAD_USER_INPUT", reason: "PERSISTED_QUERY_VERSION_UNSUPPORTED" },
      ],
    ];
    for (const [payload, expected] of cases) {
      const received = sseSubscribe(team.nurse, payload);
      try {
        await eventually(async () => received.done, 15_000, "the refusal");
        expect(received.data).toEqual([]);
        expect(
          received.errors.map((error) => error.extensions),
          JSON.stringify(payload),
        ).toEqual([expected]);
      } finally {
        received.stop();
      }
    }
  });
});

// The stack's own gateway: the default mode (allowed) and the default manifest, the SDK's.
describe("TRUSTED_DOCUMENTS=allowed (the default)", () => {
  const sdkMe = () => byHash("", sdkDocument(/^query Me\b/).hash);

  it("runs registered operations by hash and ad-hoc operations alike", async () => {
    const byHashed = await post(stack.gatewayUrl, { extensions: sdkMe() }, team.nurse);
    expect(byHashed.body).toMatchObject({ data: { me: { role: "NURSE" } } });
    const adHoc = await post(stack.gatewayUrl, { query: AD_HOC }, team.nurse);
    expect(adHoc.body.errors).toBeUndefined();
    // Text with its hash runs even when unregistered; a bare unknown hash cannot.
    expect((await post(stack.gatewayUrl, { query: AD_HOC, extensions: byHash(AD_HOC) }, team.nurse)).body).toEqual(
      adHoc.body,
    );
    const unknown = await post(stack.gatewayUrl, { extensions: byHash(ME) }, team.nurse);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
    // Sending a text with its hash does not register it (no automatic persisted queries).
    const sent = await post(stack.gatewayUrl, { query: ME, extensions: byHash(ME) }, team.nurse);
    expect(sent.body.errors).toBeUndefined();
    expect((await post(stack.gatewayUrl, { extensions: byHash(ME) }, team.nurse)).status).toBe(400);
  });

  it("runs ad-hoc and hashed operations over graphql-ws", async () => {
    const client = wsClient(stack.gatewayUrl, team.nurse);
    try {
      for (const payload of [{ query: AD_HOC }, { query: "", extensions: sdkMe() }]) {
        const received = wsSubscribe(client, payload);
        await eventually(async () => received.done, 15_000, "the operation");
        expect(received.errors).toEqual([]);
        expect(received.data).toHaveLength(1);
      }
      const unknown = wsSubscribe(client, { query: "", extensions: byHash(ME) });
      await eventually(async () => unknown.done, 15_000, "the refusal");
      expect(unknown.errors.map((error) => error.extensions)).toEqual([{ code: "PERSISTED_QUERY_NOT_FOUND" }]);
    } finally {
      await client.dispose();
    }
  });
});

describe("the SDK's manifest (packages/client) under required", () => {
  it("runs the SDK's Me query by hash and refuses ad-hoc operations", async () => {
    const { hash } = sdkDocument(/^query Me\b/);
    const response = await post(sdk.url, { extensions: byHash("", hash), operationName: "Me" }, team.nurse);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toMatchObject({ me: { role: "NURSE", ward: "UTI-ADULTO" } });
    expect((await post(sdk.url, { query: AD_HOC }, team.nurse)).body.errors?.[0]?.extensions?.code).toBe(
      "PERSISTED_QUERY_REQUIRED",
    );
  });

  it("runs the SDK's RequestStatusChanged subscription by hash over graphql-ws", async () => {
    const { hash } = sdkDocument(/subscription RequestStatusChanged\b/);
    const request = await createRequest(team.fixture, team.nurse);
    const client = wsClient(sdk.url, team.nurse);
    try {
      const received = wsSubscribe(client, {
        query: "",
        variables: { requestId: request.id },
        extensions: byHash("", hash),
      });
      await eventually(async () => (await activeSubscriptions(sdk.url)) >= 1, 15_000, "the subscription to start");
      await post(
        stack.gatewayUrl,
        {
          query: ACCEPT,
          variables: { input: { requestId: request.id, status: "ACCEPTED", expectedVersion: request.version } },
        },
        team.pharmacist,
      );
      await eventually(async () => JSON.stringify(received.data).includes('"ACCEPTED"'), 15_000, "the ACCEPTED event");
      expect(received.errors).toEqual([]);
      expect(received.data.at(-1)).toMatchObject({ requestStatusChanged: { status: "ACCEPTED" } });
    } finally {
      await client.dispose();
    }
  });

  it("lets an ADMIN run ad-hoc operations with TRUSTED_DOCUMENTS_EXPLORER=admins, and nobody else", async () => {
    const admin = await demoToken("admin@asky.dev");
    const asAdmin = await post(sdk.url, { query: AD_HOC }, admin);
    expect(asAdmin.body.errors).toBeUndefined();
    expect((await get(sdk.url, { query: AD_HOC }, admin)).body.errors).toBeUndefined();
    for (const token of [team.pharmacist, team.nurse, null]) {
      expect((await post(sdk.url, { query: AD_HOC }, token)).body.errors?.[0]?.extensions?.code).toBe(
        "PERSISTED_QUERY_REQUIRED",
      );
    }
  });
});

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
