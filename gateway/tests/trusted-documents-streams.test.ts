/**
 * Trusted documents on subscriptions, on a real gateway process (TRUSTED_DOCUMENTS=required, a
 * manifest of this file's own documents) over the test stack's subgraphs and NATS: over graphql-ws
 * and over SSE a registered subscription by hash delivers its events, and ad-hoc, unknown,
 * mismatched and malformed payloads end with their coded error. Status changes are written
 * through the stack's own gateway, which allows ad-hoc operations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequest, eventually, startExtraGateway, testStack, type ExtraGateway } from "@asky/stack/testing";
import { wardTeam, type WardTeam } from "./support/ward-team.js";
import { sseClient } from "./support/sse-client.js";
import {
  sha256,
  ME,
  ACCEPT,
  STATUS,
  AD_HOC,
  manifest,
  byHash,
  post,
  activeSubscriptions,
  wsSubscribe,
  wsClient,
} from "./support/trusted-documents.js";

const stack = testStack();

let team: WardTeam;
let required: ExtraGateway;
beforeAll(async () => {
  team = await wardTeam();
  required = await startExtraGateway({ TRUSTED_DOCUMENTS: "required", TRUSTED_DOCUMENTS_MANIFEST: manifest });
}, 180_000);
afterAll(() => {
  required?.stop();
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
