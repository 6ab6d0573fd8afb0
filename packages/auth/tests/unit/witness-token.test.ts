import { randomUUID } from "node:crypto";
import { createLocalJWKSet, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { Viewer, WitnessSubject } from "@asky/contracts";
import {
  createAccessTokenVerifier,
  createInternalTokenVerifier,
  generateSigningJwk,
  loadSigningKeys,
  publicKeySet,
  signAccessToken,
  signWitnessToken,
  verifyWitnessToken,
  WITNESS_TOKEN_TTL_SECONDS,
  WitnessTokenError,
  type KeySetFile,
  type SigningKey,
  type WitnessExpectation,
} from "../../src/index.js";

const keyOf = async (owner: string): Promise<SigningKey> =>
  (
    await loadSigningKeys({
      owner,
      jwks: JSON.stringify({ keys: [await generateSigningJwk(owner)] }),
      keysDir: undefined,
      production: true,
    })
  )[0];

let users: SigningKey;
let published: KeySetFile;
const actorId = randomUUID();
const requestId = randomUUID();
const pharmacist: Viewer = { id: randomUUID(), role: "PHARMACIST", ward: null };
const nurse: Viewer = { id: randomUUID(), role: "NURSE", ward: "UTI-ADULTO" };
const dispatch: WitnessSubject = { step: "DISPATCH", requestId };

beforeAll(async () => {
  users = await keyOf("users");
  published = publicKeySet([users]);
});

const issue = (witness: Viewer, subject: WitnessSubject, options = {}) =>
  signWitnessToken(users, { witness, actorId, subject }, options);

/** The fault code verifyWitnessToken refuses `token` with for `expected`, or "accepted". */
async function faultOf(token: string, expected: WitnessExpectation, keys: KeySetFile = published): Promise<string> {
  return verifyWitnessToken(token, expected, keys).then(
    () => "accepted",
    (error: unknown) => (error instanceof WitnessTokenError ? error.code : `threw ${String(error)}`),
  );
}

describe("witness tokens", () => {
  it("verify for the actor, step and request they were issued for", async () => {
    const issued = await issue(pharmacist, dispatch);
    const verified = await verifyWitnessToken(issued.token, { actorId, step: "DISPATCH", requestId }, published);
    expect(verified).toEqual({
      witnessId: pharmacist.id,
      role: "PHARMACIST",
      ward: null,
      step: "DISPATCH",
      jti: issued.jti,
      issuedAt: expect.any(Date),
      expiresAt: issued.expiresAt,
    });
    expect(verified.expiresAt.getTime() - verified.issuedAt.getTime()).toBe(WITNESS_TOKEN_TTL_SECONDS * 1000);
  });

  it("refuse another actor, step, request, cabinet or item", async () => {
    const { token } = await issue(pharmacist, dispatch);
    expect(await faultOf(token, { actorId: randomUUID(), step: "DISPATCH", requestId })).toBe("WRONG_ACTOR");
    expect(await faultOf(token, { actorId, step: "DISPATCH", requestId: randomUUID() })).toBe("WRONG_SUBJECT");
    expect(await faultOf(token, { actorId, step: "RECEIPT", requestId, ward: "UTI-ADULTO" })).toBe("WRONG_STEP");
    const loss = { step: "STOCK_LOSS", dispenserId: randomUUID(), itemId: randomUUID() } as const;
    const lossToken = (await issue(pharmacist, loss)).token;
    expect(await faultOf(lossToken, { actorId, ...loss })).toBe("accepted");
    expect(await faultOf(lossToken, { actorId, ...loss, itemId: randomUUID() })).toBe("WRONG_SUBJECT");
    expect(await faultOf(lossToken, { actorId, ...loss, dispenserId: randomUUID() })).toBe("WRONG_SUBJECT");
  });

  it("hold a receipt by a nurse to the request's ward, and a pharmacist to none", async () => {
    const receipt = { step: "RECEIPT", requestId } as const;
    const byNurse = (await issue(nurse, receipt)).token;
    expect(await faultOf(byNurse, { actorId, ...receipt, ward: "UTI-ADULTO" })).toBe("accepted");
    expect(await faultOf(byNurse, { actorId, ...receipt, ward: "PEDIATRIA" })).toBe("WRONG_WARD");
    const byPharmacist = (await issue(pharmacist, receipt)).token;
    expect(await faultOf(byPharmacist, { actorId, ...receipt, ward: "PEDIATRIA" })).toBe("accepted");
    await expect(verifyWitnessToken(byNurse, { actorId, ...receipt }, published)).rejects.toBeInstanceOf(TypeError);
  });

  it("refuse a witness whose role may not witness the step, and the actor as witness", async () => {
    const byNurse = (await issue(nurse, dispatch)).token;
    expect(await faultOf(byNurse, { actorId, step: "DISPATCH", requestId })).toBe("ROLE_NOT_ALLOWED");
    const self = await signWitnessToken(users, {
      witness: { id: actorId, role: "PHARMACIST", ward: null },
      actorId,
      subject: dispatch,
    });
    expect(await faultOf(self.token, { actorId, step: "DISPATCH", requestId })).toBe("WITNESS_IS_ACTOR");
  });

  it("expire, live two minutes at most, and refuse a longer-lived one even if signed by the users key", async () => {
    await expect(issue(pharmacist, dispatch, { ttlSeconds: WITNESS_TOKEN_TTL_SECONDS + 1 })).rejects.toThrow(
      RangeError,
    );
    const old = await issue(pharmacist, dispatch, { ttlSeconds: 30, nowMs: Date.now() - 60_000 });
    expect(await faultOf(old.token, { actorId, step: "DISPATCH", requestId })).toBe("EXPIRED");
    const longLived = await new SignJWT({ token_use: "witness", role: "PHARMACIST", ward: null, act: { sub: actorId } })
      .setProtectedHeader({ alg: "ES256", kid: users.kid, typ: "witness+jwt" })
      .setIssuer("asky-users")
      .setAudience("asky-witness")
      .setSubject(pharmacist.id)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(users.privateKey);
    expect(await faultOf(longLived, { actorId, step: "DISPATCH", requestId })).toBe("INVALID");
  });

  it("refuse tokens signed by another key, tampered with, or malformed", async () => {
    const { token } = await issue(pharmacist, dispatch);
    const stranger = publicKeySet([await keyOf("users")]);
    expect(await faultOf(token, { actorId, step: "DISPATCH", requestId }, stranger)).toBe("INVALID");
    const [header, , signature] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ sub: actorId, act: { sub: actorId }, role: "PHARMACIST", step: "DISPATCH", req: requestId }),
    ).toString("base64url");
    expect(await faultOf(`${header}.${forged}.${signature}`, { actorId, step: "DISPATCH", requestId })).toBe("INVALID");
    expect(await faultOf("not-a-token", { actorId, step: "DISPATCH", requestId })).toBe("INVALID");
  });
});

describe("witness and access tokens never pass for one another", () => {
  it("an access token is not a witness token", async () => {
    const access = await signAccessToken(users, pharmacist, randomUUID());
    expect(await faultOf(access.token, { actorId, step: "DISPATCH", requestId })).toBe("INVALID");
  });

  it("a witness token is neither an access token nor an internal token", async () => {
    const { token } = await issue(pharmacist, dispatch);
    const verifyAccess = createAccessTokenVerifier(createLocalJWKSet(published));
    await expect(verifyAccess(token)).rejects.toThrow();
    const verifyInternal = createInternalTokenVerifier("requests", {
      trusted: ["gateway", "users"],
      jwks: JSON.stringify({ users: published, gateway: published }),
      keysDir: undefined,
    });
    await expect(verifyInternal(token)).rejects.toThrow();
  });
});
