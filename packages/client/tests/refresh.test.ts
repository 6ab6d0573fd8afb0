/**
 * One refresh at a time against the real users service: ten concurrent operations meeting an
 * expired access token cause exactly one refreshToken mutation (counted on the wire and in the
 * session's refresh-token rows), all ten succeed, and the session is not revoked (a second
 * refresh with the spent token would have revoked it).
 */
import { describe, expect, it } from "vitest";
import { auditOf, testStack } from "@asky/stack/testing";
import { createAskyClient } from "../src/client.js";
import { MeDocument } from "../src/documents.js";
import { signedInClient } from "./support/client-of.js";
import { countingFetch } from "./support/wire.js";
import { refreshTokenRows, sessionIdOf, withLifetime } from "./support/tokens.js";

const farFuture = () => new Date(Date.now() + 3_600_000).toISOString();
const past = () => new Date(Date.now() - 60_000).toISOString();

describe("an expired access token", () => {
  it("met by 10 concurrent calls (the server refuses it) is refreshed once", async () => {
    const { client, user, storage, wire } = await signedInClient("NURSE");
    const signedIn = storage.get()!;
    const sessionId = sessionIdOf(signedIn.accessToken);
    // Expired, though the client believes otherwise (a device clock running behind): every call
    // sends it and is refused, then all of them share one refresh.
    storage.set({
      ...signedIn,
      accessToken: await withLifetime(signedIn.accessToken, -60),
      accessTokenExpiresAt: farFuture(),
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.execute(MeDocument, {})));
    expect(results.map((data) => data.me?.id)).toEqual(Array(10).fill(user.id));
    expect(wire.count("Me")).toBe(20);
    expect(wire.count("RefreshSession")).toBe(1);
    expect(await refreshTokenRows(sessionId)).toEqual({ issued: 2, used: 1, revoked: 0 });
    expect(storage.get()!.refreshToken).not.toBe(signedIn.refreshToken);
    expect((await auditOf(user.id, "auth.refresh_reuse")).length).toBe(0);
  });

  it("known to be expiring is refreshed once before 10 concurrent calls send anything", async () => {
    const { client, user, storage, wire } = await signedInClient("NURSE");
    const signedIn = storage.get()!;
    storage.set({
      ...signedIn,
      accessToken: await withLifetime(signedIn.accessToken, -60),
      accessTokenExpiresAt: past(),
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.execute(MeDocument, {})));
    expect(results.map((data) => data.me?.id)).toEqual(Array(10).fill(user.id));
    expect(wire.operations.filter((name) => name !== "SignIn")).toEqual(["RefreshSession", ...Array(10).fill("Me")]);
    expect(await refreshTokenRows(sessionIdOf(signedIn.accessToken))).toEqual({ issued: 2, used: 1, revoked: 0 });
  });

  it("shared by two clients of one storage (two tabs) is refreshed once between them", async () => {
    const first = await signedInClient("NURSE");
    // The second tab: the same storage, a client of its own; both take navigator.locks by default.
    const secondWire = countingFetch();
    const second = createAskyClient({ url: testStack().gatewayUrl, storage: first.storage, fetch: secondWire.fetch });
    const signedIn = first.storage.get()!;
    first.storage.set({
      ...signedIn,
      accessToken: await withLifetime(signedIn.accessToken, -60),
      accessTokenExpiresAt: farFuture(),
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => (index % 2 ? second : first.client).execute(MeDocument, {})),
    );
    expect(results.map((data) => data.me?.id)).toEqual(Array(10).fill(first.user.id));
    expect(first.wire.count("RefreshSession") + secondWire.count("RefreshSession")).toBe(1);
    expect(await refreshTokenRows(sessionIdOf(signedIn.accessToken))).toEqual({ issued: 2, used: 1, revoked: 0 });
  });

  it("shared by two tabs that do not share a lock is refreshed twice, the second only saved by the server's reuse grace (why the lock)", async () => {
    const first = await signedInClient("NURSE", { refreshLock: { run: (_name, task) => task() } });
    const secondWire = countingFetch();
    const second = createAskyClient({
      url: testStack().gatewayUrl,
      storage: first.storage,
      fetch: secondWire.fetch,
      refreshLock: { run: (_name, task) => task() },
    });
    const ended: string[] = [];
    first.client.onSessionEnd((error) => ended.push(error.code));
    second.onSessionEnd((error) => ended.push(error.code));
    const signedIn = first.storage.get()!;
    first.storage.set({
      ...signedIn,
      accessToken: await withLifetime(signedIn.accessToken, -60),
      accessTokenExpiresAt: past(),
    });
    const outcomes = await Promise.allSettled([first.client.execute(MeDocument, {}), second.execute(MeDocument, {})]);
    expect(first.wire.count("RefreshSession") + secondWire.count("RefreshSession")).toBe(2);
    // The same refresh token presented twice: the users service takes the second as a lost
    // answer's retry (REFRESH_REUSE_GRACE_SECONDS) and supersedes the first one's successor, so
    // one of the two tabs now holds a token whose next use ends the session for both. Past the
    // grace it would have been theft at once. With the lock, the second tab reads the first's
    // tokens instead (the tests above).
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(ended).toEqual([]);
    expect(await refreshTokenRows(sessionIdOf(signedIn.accessToken))).toEqual({ issued: 3, used: 1, revoked: 1 });
    expect((await auditOf(first.user.id, "auth.refresh_retry")).length).toBe(1);
    expect((await auditOf(first.user.id, "auth.refresh_reuse")).length).toBe(0);
  });
});
