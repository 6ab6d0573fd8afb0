import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createWitnessTokenVerifier, usersJwksUrl, WitnessTokenError, type WitnessExpectation } from "@asky/auth";
import { postGraphQL } from "@asky/stack/testing";
import { createUser, errorCode, gql, signedInAs, stack, type FreshUser, type Session } from "./support/users-api.js";
import { askWitness, type IssuedWitness } from "./support/witness-api.js";

/**
 * What a consuming service will do with a witness token: verify it against the users service's
 * published keys (the JWKS the gateway checks access tokens against), for its actor, step and
 * request. And what nobody may do with one: use it as a bearer token, anywhere.
 */
const verify = () => createWitnessTokenVerifier(usersJwksUrl(stack.subgraphUrls.users));

let actor: Session;
let nurse: FreshUser;
let requestId: string;
let issued: IssuedWitness;

beforeAll(async () => {
  actor = (await signedInAs("PHARMACIST")).session;
  nurse = await createUser("NURSE");
  requestId = randomUUID();
  const { body } = await askWitness(actor, nurse, "RECEIPT", { requestId });
  expect(body.errors).toBeUndefined();
  issued = body.data!.issueWitnessToken;
});

async function faultOf(token: string, expected: WitnessExpectation): Promise<string> {
  return verify()(token, expected).then(
    () => "accepted",
    (error: unknown) => (error instanceof WitnessTokenError ? error.code : `threw ${String(error)}`),
  );
}

describe("a witness token issued through the gateway", () => {
  it("verifies with the users service's published keys for its actor, step, request and ward", async () => {
    const receipt = { actorId: actor.user.id, step: "RECEIPT", requestId, ward: "UTI-ADULTO" } as const;
    const verified = await verify()(issued.token, receipt);
    expect(verified).toMatchObject({ witnessId: nurse.id, role: "NURSE", ward: "UTI-ADULTO", step: "RECEIPT" });
    expect(verified.expiresAt.toISOString()).toBe(new Date(issued.expiresAt).toISOString());
    expect(verified.expiresAt.getTime() - verified.issuedAt.getTime()).toBeLessThanOrEqual(120_000);
  });

  it("fails for another request, step, actor or ward", async () => {
    const receipt = { actorId: actor.user.id, step: "RECEIPT", requestId, ward: "UTI-ADULTO" } as const;
    expect(await faultOf(issued.token, { ...receipt, requestId: randomUUID() })).toBe("WRONG_SUBJECT");
    expect(await faultOf(issued.token, { ...receipt, step: "DISPATCH", ward: undefined })).toBe("WRONG_STEP");
    expect(await faultOf(issued.token, { ...receipt, actorId: nurse.id })).toBe("WRONG_ACTOR");
    expect(await faultOf(issued.token, { ...receipt, actorId: randomUUID() })).toBe("WRONG_ACTOR");
    expect(await faultOf(issued.token, { ...receipt, ward: "PEDIATRIA" })).toBe("WRONG_WARD");
  });

  it("is refused as a bearer token by the gateway and by every subgraph", async () => {
    const atGateway = await gql(`{ me { id } }`, {}, { token: issued.token });
    expect(errorCode(atGateway.body)).toBe("UNAUTHENTICATED");
    for (const url of Object.values(stack.subgraphUrls)) {
      const direct = await postGraphQL(url, `{ __typename }`, {}, { token: issued.token });
      expect(errorCode(direct.body), url).toBe("UNAUTHENTICATED");
    }
  });
});

describe("an access token", () => {
  it("is not a witness token", async () => {
    const expected = { actorId: actor.user.id, step: "DISPATCH", requestId } as const;
    expect(await faultOf(actor.accessToken, expected)).toBe("INVALID");
  });
});
