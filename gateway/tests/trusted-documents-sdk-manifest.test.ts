/**
 * Trusted documents with the SDK's manifest (packages/client), the default one: the stack's own
 * gateway in the default mode (allowed) runs hashed and ad-hoc operations alike, and a real gateway
 * process under TRUSTED_DOCUMENTS=required runs the SDK's operations by hash and lets only ADMIN
 * users run ad-hoc ones when TRUSTED_DOCUMENTS_EXPLORER=admins.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRequest,
  demoToken,
  eventually,
  startExtraGateway,
  testStack,
  type ExtraGateway,
} from "@asky/stack/testing";
import { wardTeam, type WardTeam } from "./support/ward-team.js";
import {
  ME,
  ACCEPT,
  AD_HOC,
  byHash,
  post,
  get,
  activeSubscriptions,
  wsSubscribe,
  wsClient,
  sdkDocument,
} from "./support/trusted-documents.js";

const stack = testStack();

let team: WardTeam;
let sdk: ExtraGateway;
beforeAll(async () => {
  team = await wardTeam();
  // The SDK's own manifest (packages/client), the default; ADMIN users may still explore.
  sdk = await startExtraGateway({ TRUSTED_DOCUMENTS: "required", TRUSTED_DOCUMENTS_EXPLORER: "admins" });
}, 180_000);
afterAll(() => {
  sdk?.stop();
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
