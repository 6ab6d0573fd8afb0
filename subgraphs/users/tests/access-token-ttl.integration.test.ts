/**
 * ACCESS_TOKEN_TTL_SECONDS: a users process started with a short lifetime issues tokens that
 * expire after it, on sign-in and on refresh, and the gateway accepts them; a lifetime outside
 * the bounds stops the process at start, before it issues anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSubgraph, startReplica, type Replica } from "@asky/stack/testing";
import { DEMO_PASSWORD, LOGIN, REFRESH, gql, jwtPart, type Session } from "./support/users-api.js";

const TTL = 45;

describe("access token lifetime from ACCESS_TOKEN_TTL_SECONDS", () => {
  let replica: Replica;
  beforeAll(async () => {
    replica = await startReplica("users", { ACCESS_TOKEN_TTL_SECONDS: String(TTL) });
  }, 120_000);
  afterAll(async () => {
    await replica?.stop();
  });

  const lifetime = (session: Session) => {
    const claims = jwtPart(session.accessToken, 1);
    return Number(claims.exp) - Number(claims.iat);
  };

  it("issues tokens with that lifetime on sign-in and refresh, which the gateway accepts", async () => {
    // Called as the gateway calls it: the login mutation is anonymous.
    const client = asSubgraph("users", null, { url: replica.url });
    const signedIn = (await client.ok<{ login: Session }>(LOGIN, { email: "nurse@asky.dev", password: DEMO_PASSWORD }))
      .login;
    expect(lifetime(signedIn)).toBe(TTL);
    const untilExpiry = new Date(signedIn.expiresAt).getTime() - Date.now();
    expect(untilExpiry).toBeLessThanOrEqual(TTL * 1000);
    expect(untilExpiry).toBeGreaterThan(0);
    expect(Number(jwtPart(signedIn.accessToken, 1).exp) * 1000).toBe(new Date(signedIn.expiresAt).getTime());

    const me = await gql<{ me: { email: string } }>(`{ me { email } }`, {}, { token: signedIn.accessToken });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.me.email).toBe("nurse@asky.dev");

    const renewed = (await client.ok<{ refreshToken: Session }>(REFRESH, { token: signedIn.refreshToken }))
      .refreshToken;
    expect(lifetime(renewed)).toBe(TTL);
  });

  it("leaves the stack's own users service at the default fifteen minutes", async () => {
    const { body } = await gql<{ login: Session }>(LOGIN, { email: "nurse@asky.dev", password: DEMO_PASSWORD });
    expect(body.errors).toBeUndefined();
    expect(lifetime(body.data!.login)).toBe(15 * 60);
  });
});

describe("an ACCESS_TOKEN_TTL_SECONDS outside 30..3600", () => {
  it.each(["29", "3601", "0", "15m", "60.5"])(
    "stops the users process at start (%s)",
    async (value) => {
      const started = startReplica("users", { ACCESS_TOKEN_TTL_SECONDS: value });
      await expect(started).rejects.toThrow(/ACCESS_TOKEN_TTL_SECONDS must be an integer/);
    },
    120_000,
  );
});
