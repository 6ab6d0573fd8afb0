/**
 * createRequest keeps one idempotency key across the retries of one call (and a new one per
 * call); the refreshToken mutation is never retried, since a lost answer means the refresh
 * token is spent and presenting it again would revoke the session.
 */
import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { describe, expect, it } from "vitest";
import { createAskyClient } from "../../src/client.js";
import { memoryTokens } from "../../src/tokens.js";

interface Sent {
  operationName: string;
  variables: { input?: { idempotencyKey?: string }; refreshToken?: string };
}

const created = { createRequest: { id: "r1", number: "REQ-1" } };

function recordingFetch(answer: (sent: Sent, index: number) => Response | Error) {
  const sent: Sent[] = [];
  const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init.body)) as Sent;
    sent.push(body);
    const outcome = answer(body, sent.length - 1);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { sent, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const input = { kind: "MEDICATION" as const, dispenserId: "d1", items: [{ itemId: "i1", quantity: 1 }] };
const quick = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe("createRequest", () => {
  it("sends the same idempotency key on every retry of one call", async () => {
    const { sent, fetch } = recordingFetch((_body, index) =>
      index === 0 ? new TypeError("fetch failed") : index === 1 ? json({}, 503) : json({ data: created }),
    );
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, retry: quick });
    const request = await client.createRequest(input);
    expect(request).toEqual(created.createRequest);
    const keys = sent.map((body) => body.variables.input?.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("uses a new key for each call, and the app's own when given", async () => {
    const { sent, fetch } = recordingFetch(() => json({ data: created }));
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch });
    await client.createRequest(input);
    await client.createRequest(input);
    await client.createRequest({ ...input, idempotencyKey: "form-42" });
    const keys = sent.map((body) => body.variables.input?.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
    expect(keys[2]).toBe("form-42");
  });

  it("does not retry a GraphQL refusal", async () => {
    const { sent, fetch } = recordingFetch(() =>
      json({ errors: [{ message: "no", extensions: { code: "FORBIDDEN" } }], data: null }),
    );
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, retry: quick });
    await expect(client.createRequest(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(sent).toHaveLength(1);
  });
});

describe("refresh", () => {
  it("is sent once even when its answer is lost, and the tokens are kept", async () => {
    const storage = memoryTokens({
      accessToken: "expired",
      refreshToken: "r-1",
      accessTokenExpiresAt: new Date(Date.now() - 1_000).toISOString(),
      refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      viewer: { id: "u1", role: "NURSE", ward: "UTI-ADULTO", fullName: "Ana", nickname: "ana" },
    });
    const { sent, fetch } = recordingFetch(() => new TypeError("fetch failed"));
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, storage, retry: quick });
    await expect(client.execute((await import("../../src/documents.js")).MeDocument, {})).rejects.toMatchObject({
      code: "NETWORK_ERROR",
    });
    expect(sent.map((body) => body.operationName)).toEqual(["RefreshSession"]);
    expect(storage.get()?.refreshToken).toBe("r-1");
  });
});

describe("newIdempotencyKey", () => {
  it("is a version 4 UUID without crypto.randomUUID too", async () => {
    const { newIdempotencyKey } = await import("../../src/idempotency-key.js");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(uuid);
    const real = globalThis.crypto;
    const original = Object.getOwnPropertyDescriptor(globalThis, "crypto")!;
    try {
      Object.defineProperty(globalThis, "crypto", {
        value: { getRandomValues: real.getRandomValues.bind(real) },
        configurable: true,
      });
      const keys = Array.from({ length: 100 }, () => newIdempotencyKey());
      Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
      keys.push(newIdempotencyKey());
      for (const key of keys) expect(key).toMatch(uuid);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      Object.defineProperty(globalThis, "crypto", original);
    }
  });
});

describe("retries of other operations", () => {
  const adjust = parse(
    "mutation Adjust($input: AdjustStockInput!) { adjustStock(input: $input) { quantity } }",
  ) as TypedDocumentNode<{ adjustStock: { quantity: number } }, { input: Record<string, unknown> }>;
  const query = parse("query Me { me { id } }") as TypedDocumentNode<{ me: { id: string } }, Record<string, never>>;
  const failing = () =>
    recordingFetch((_body, index) =>
      index === 0 ? new TypeError("fetch failed") : json({ data: { me: { id: "u1" }, adjustStock: { quantity: 3 } } }),
    );

  it("retry a query after a network failure", async () => {
    const { sent, fetch } = failing();
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, retry: quick });
    await expect(client.execute(query, {})).resolves.toEqual({ me: { id: "u1" }, adjustStock: { quantity: 3 } });
    expect(sent).toHaveLength(2);
  });

  it("send another mutation once (it may have been carried out), unless the caller says it is idempotent", async () => {
    const once = failing();
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch: once.fetch, retry: quick });
    await expect(client.execute(adjust, { input: { delta: 1 } })).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    expect(once.sent).toHaveLength(1);
    const twice = failing();
    const trusting = createAskyClient({ url: "http://asky.test/graphql", fetch: twice.fetch, retry: quick });
    await trusting.execute(adjust, { input: { delta: 1 } }, { idempotent: true });
    expect(twice.sent).toHaveLength(2);
  });
});

describe("persisted operations", () => {
  it("go by hash alone, and by text once when the gateway does not know the hash", async () => {
    const { sent, fetch } = recordingFetch((body) =>
      "query" in body
        ? json({ data: { me: { id: "u1" } } })
        : json({ errors: [{ message: "unknown", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] }, 400),
    );
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, persisted: true, retry: quick });
    const { MeDocument } = await import("../../src/documents.js");
    await expect(client.execute(MeDocument, {})).resolves.toEqual({ me: { id: "u1" } });
    const [byHash, byText] = sent as (Sent & {
      query?: string;
      extensions?: { persistedQuery?: { sha256Hash: string } };
    })[];
    expect(byHash!.query).toBeUndefined();
    expect(byHash!.extensions?.persistedQuery?.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(byText!.query).toContain("query Me");
    expect(sent).toHaveLength(2);
  });
});
