/**
 * Which refused access tokens the client refreshes, by the gateway's reason: TOKEN_EXPIRED and
 * SESSION_REVOKED (a role change survives a refresh, a logout does not: the refresh decides),
 * and a reason-less UNAUTHENTICATED from an older gateway; never TOKEN_INVALID, which no
 * refresh changes.
 */
import { describe, expect, it } from "vitest";
import { createAskyClient } from "../../src/client.js";
import { MeDocument } from "../../src/documents.js";
import { memoryTokens, type Tokens } from "../../src/tokens.js";

const viewer = { id: "u1", role: "NURSE", ward: "UTI-ADULTO", fullName: "Ana", nickname: "ana" } as const;
const stored = (): Tokens => ({
  accessToken: "access-1",
  refreshToken: "refresh-1",
  // Far from expiry: only the server's refusal can cause a refresh.
  accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  viewer,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const refreshed = {
  refreshToken: {
    accessToken: "access-2",
    refreshToken: "refresh-2",
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    user: viewer,
  },
};

/** A gateway that refuses access-1 with `extensions` and accepts access-2. */
function gatewayRefusing(
  extensions: Record<string, unknown>,
  refresh: () => Response = () => json({ data: refreshed }),
) {
  const sent: { operation: string; authorization: string | null }[] = [];
  const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init.body)) as { operationName: string };
    const authorization = new Headers(init.headers).get("authorization");
    sent.push({ operation: body.operationName, authorization });
    if (body.operationName === "RefreshSession") return refresh();
    if (authorization === "Bearer access-2") return json({ data: { me: { id: "u1" } } });
    return json({ errors: [{ message: "refused", extensions: { code: "UNAUTHENTICATED", ...extensions } }] }, 401);
  };
  return { sent, fetch };
}

const retry = { attempts: 1 };

describe("refresh after a refused access token", () => {
  it.each([
    ["TOKEN_EXPIRED", { reason: "TOKEN_EXPIRED" }],
    ["SESSION_REVOKED (a claims change: the refresh is granted)", { reason: "SESSION_REVOKED" }],
    ["no reason (an older gateway)", {}],
  ])("%s: refreshes once and retries with the new token", async (_name, extensions) => {
    const { sent, fetch } = gatewayRefusing(extensions);
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, storage: memoryTokens(stored()), retry });
    await expect(client.execute(MeDocument, {})).resolves.toEqual({ me: { id: "u1" } });
    expect(sent).toEqual([
      { operation: "Me", authorization: "Bearer access-1" },
      { operation: "RefreshSession", authorization: null },
      { operation: "Me", authorization: "Bearer access-2" },
    ]);
  });

  it("TOKEN_INVALID: no refresh, the error goes to the app and the session stays", async () => {
    const { sent, fetch } = gatewayRefusing({ reason: "TOKEN_INVALID" });
    const storage = memoryTokens(stored());
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, storage, retry });
    await expect(client.execute(MeDocument, {})).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "TOKEN_INVALID",
    });
    expect(sent.map((entry) => entry.operation)).toEqual(["Me"]);
    expect(storage.get()?.refreshToken).toBe("refresh-1");
  });

  it("SESSION_REVOKED by a logout: the refused refresh ends the session once", async () => {
    const { sent, fetch } = gatewayRefusing({ reason: "SESSION_REVOKED" }, () =>
      json({ errors: [{ message: "revoked", extensions: { code: "UNAUTHENTICATED" } }] }, 401),
    );
    const storage = memoryTokens(stored());
    const client = createAskyClient({ url: "http://asky.test/graphql", fetch, storage, retry });
    const ended: string[] = [];
    client.onSessionEnd((error) => ended.push(error.code));
    await expect(client.execute(MeDocument, {})).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(sent.map((entry) => entry.operation)).toEqual(["Me", "RefreshSession"]);
    expect(ended).toEqual(["UNAUTHENTICATED"]);
    expect(storage.get()).toBeNull();
  });
});
