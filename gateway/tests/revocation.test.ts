/**
 * Taking access back before the token expires: the users service publishes
 * asky.users.access_revoked and every gateway refuses the tokens it covers, on HTTP and on
 * open WebSockets, without waiting out the token's lifetime.
 */
import { describe, expect, it } from "vitest";
import { admin, createUser, gql, login, LOGOUT } from "@asky/stack/testing";
import { eventually, testStack } from "@asky/stack/testing";
import { subscribe, until, wsClient } from "./support/ws-client.js";

const me = (token: string) => gql<{ me: { id: string } }>(`{ me { id } }`, {}, { token });

describe("access revocation at the gateway", () => {
  it("refuses the access token of a session that logged out, and only that session's", async () => {
    const user = await createUser("PHARMACIST");
    const [ended, other] = await Promise.all([login(user.email, user.password), login(user.email, user.password)]);
    expect((await me(ended.accessToken)).status).toBe(200);

    const { body } = await gql<{ logout: boolean }>(LOGOUT, { token: ended.refreshToken });
    expect(body.data?.logout).toBe(true);

    await eventually(
      async () => (await me(ended.accessToken)).status === 401,
      10_000,
      "the ended session to be refused",
    );
    const refused = await me(ended.accessToken);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it("closes the live socket of a deactivated user and refuses the token", async () => {
    const user = await createUser("NURSE");
    const session = await login(user.email, user.password);
    let closed: { code: number; reason: string } | null = null;
    const client = wsClient(testStack().gatewayUrl, session.accessToken, (event) => (closed = event));
    subscribe(client, `subscription { requestEvents { type } }`);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const { body } = await gql(
      `mutation($id: ID!) { deleteUser(id: $id) { active } }`,
      { id: user.id },
      { token: (await admin()).accessToken },
    );
    expect(body.errors).toBeUndefined();

    await until(() => closed !== null, 10_000, "the socket to close");
    expect(closed!.code).toBe(4401);
    expect(closed!.reason).toMatch(/session ended/i);
    await eventually(async () => (await me(session.accessToken)).status === 401, 10_000, "the token to be refused");
    await client.dispose();
  });

  it("makes a role change take effect before the old token expires", async () => {
    const user = await createUser("PHARMACIST");
    const session = await login(user.email, user.password);
    const { body } = await gql(
      `mutation($id: ID!) { updateUser(id: $id, input: { role: PHARMACY_TECHNICIAN }) { role } }`,
      { id: user.id },
      { token: (await admin()).accessToken },
    );
    expect(body.errors).toBeUndefined();
    await eventually(
      async () => (await me(session.accessToken)).status === 401,
      10_000,
      "the pre-change token to be refused",
    );
    // The session itself survives: a refresh issues a token with the new role.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refreshed = await gql<{ refreshToken: { accessToken: string; user: { role: string } } }>(
      `mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken user { role } } }`,
      { token: session.refreshToken },
    );
    expect(refreshed.body.data?.refreshToken.user.role).toBe("PHARMACY_TECHNICIAN");
    expect((await me(refreshed.body.data!.refreshToken.accessToken)).status).toBe(200);
  });

  it("accepts a token issued 100 ms after a claims change, in the same second", async () => {
    const user = await createUser("NURSE");
    const before = await login(user.email, user.password);
    const adminToken = (await admin()).accessToken;
    // Start early in a second, so that the change and the sign-in share it: whole-second
    // issue times refused every token of the revocation's second.
    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));
    const changedAt = Date.now();
    const { body } = await gql(
      `mutation($id: ID!) { updateUser(id: $id, input: { ward: "PEDIATRIA" }) { ward } }`,
      { id: user.id },
      { token: adminToken },
    );
    expect(body.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await login(user.email, user.password);
    expect(Math.floor(Date.now() / 1_000), "the change and the sign-in in one second").toBe(
      Math.floor(changedAt / 1_000),
    );

    await eventually(
      async () => (await me(before.accessToken)).status === 401,
      10_000,
      "the pre-change token to be refused",
    );
    expect((await me(after.accessToken)).status).toBe(200);
  });
});
