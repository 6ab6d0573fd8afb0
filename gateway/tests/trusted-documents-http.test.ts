/**
 * Trusted documents over HTTP on a real gateway process (TRUSTED_DOCUMENTS=required, a manifest of
 * this file's own documents) over the test stack's subgraphs: registered operations run by hash,
 * POST and GET; ad-hoc text, unknown hashes and mismatched or malformed persisted queries are
 * refused with coded client errors before anything runs. Requests are written through the stack's
 * own gateway (which allows ad-hoc operations), so every refusal here can be checked to have
 * changed nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequest, startExtraGateway, type ExtraGateway } from "@asky/stack/testing";
import { wardTeam, type WardTeam } from "./support/ward-team.js";
import {
  sha256,
  ME,
  ACCEPT,
  AD_HOC,
  manifest,
  byHash,
  post,
  get,
  refusedRequests,
  requestState,
} from "./support/trusted-documents.js";

let team: WardTeam;
let required: ExtraGateway;
beforeAll(async () => {
  team = await wardTeam();
  required = await startExtraGateway({ TRUSTED_DOCUMENTS: "required", TRUSTED_DOCUMENTS_MANIFEST: manifest });
}, 180_000);
afterAll(() => {
  required?.stop();
});

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
