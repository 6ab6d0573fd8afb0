import { beforeAll, describe, expect, it } from "vitest";
import { roles, witnessedSteps, type Role, type WitnessedStep } from "@asky/contracts";
import {
  admin,
  auditOf,
  createUser,
  errorCode,
  freshEmail,
  gql,
  jwtPart,
  LOGIN,
  queryUsersDb,
  signedInAs,
  type FreshUser,
  type Session,
} from "./support/users-api.js";
import { askWitness, bindingFor } from "./support/witness-api.js";

/** Who may witness what (issue 16), spelled out here rather than read from the code under test. */
const allowed: Record<WitnessedStep, readonly Role[]> = {
  DISPATCH: ["PHARMACIST", "PHARMACY_TECHNICIAN"],
  RECEIPT: ["NURSE", "PHARMACIST"],
  STOCK_LOSS: ["PHARMACIST"],
};

let actor: Session;
const witnesses = {} as Record<Role, FreshUser>;

beforeAll(async () => {
  actor = (await signedInAs("PHARMACIST")).session;
  for (const role of roles) witnesses[role] = await createUser(role);
});

const cases = witnessedSteps.flatMap((step) =>
  roles.map((role) => [step, role, allowed[step].includes(role)] as const),
);

describe("issueWitnessToken", () => {
  it.each(cases)("%s witnessed by a %s: allowed %s", async (step, role, ok) => {
    const binding = bindingFor(step);
    const before = Date.now();
    const { body } = await askWitness(actor, witnesses[role], step, binding);
    if (!ok) {
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "WITNESS_ROLE_NOT_ALLOWED" });
      return;
    }
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const issued = body.data!.issueWitnessToken;
    const witness = witnesses[role];
    expect(issued.witness).toEqual({ id: witness.id, role, ward: witness.ward });
    expect(new Date(issued.expiresAt).getTime()).toBeLessThanOrEqual(before + 121_000);
    expect(jwtPart(issued.token, 0)).toMatchObject({ alg: "ES256", typ: "witness+jwt" });
    const claims = jwtPart(issued.token, 1);
    expect(claims).toMatchObject({
      iss: "asky-users",
      aud: "asky-witness",
      token_use: "witness",
      sub: witness.id,
      act: { sub: actor.user.id },
      role,
      ward: witness.ward,
      step,
      ...(step === "STOCK_LOSS"
        ? { dispenser: binding.dispenserId, item: binding.itemId }
        : { req: binding.requestId }),
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(120);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);

    const [entry] = await auditOf(witness.id, "witness.issued");
    expect(entry).toMatchObject({ actor: { id: actor.user.id }, target: { id: witness.id } });
    expect(JSON.parse(entry!.detail!)).toMatchObject({ step, jti: claims.jti, ...binding });
  });

  it("refuses the actor as their own witness, and audits it", async () => {
    const { user, session } = await signedInAs("PHARMACIST");
    const { body } = await askWitness(session, user, "DISPATCH");
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "WITNESS_IS_ACTOR" });
    const [entry] = await auditOf(user.id, "witness.refused");
    expect(entry).toMatchObject({ actor: { id: user.id }, target: { id: user.id } });
    expect(JSON.parse(entry!.detail!)).toMatchObject({ reason: "WITNESS_IS_ACTOR", step: "DISPATCH" });
  });

  it("answers a wrong password, an unknown email and a deactivated account alike, and audits each", async () => {
    const witness = await createUser("PHARMACIST");
    const retired = await createUser("PHARMACIST");
    const deactivate = `mutation($id: ID!) { deleteUser(id: $id) { active } }`;
    expect((await gql(deactivate, { id: retired.id }, { token: (await admin()).accessToken })).body.errors).toBe(
      undefined,
    );
    const wrong = await askWitness(actor, { ...witness, password: "not-the-right-password" }, "DISPATCH");
    const unknown = await askWitness(actor, { email: freshEmail("ghost"), password: "x" }, "DISPATCH");
    const inactive = await askWitness(actor, retired, "DISPATCH");
    expect(wrong.body.errors?.[0]).toMatchObject({
      message: "Invalid witness email or password",
      extensions: { code: "FORBIDDEN", reason: "WITNESS_CREDENTIALS_INVALID" },
    });
    expect(unknown.body.errors).toEqual(wrong.body.errors);
    expect(inactive.body.errors).toEqual(wrong.body.errors);
    for (const [user, reason] of [
      [witness, "wrong_password"],
      [retired, "inactive_account"],
    ] as const) {
      const [entry] = await auditOf(user.id, "witness.refused");
      expect(entry).toMatchObject({ actor: { id: actor.user.id }, target: { id: user.id } });
      expect(JSON.parse(entry!.detail!)).toMatchObject({ reason, step: "DISPATCH" });
      expect(entry!.detail).not.toContain("not-the-right-password");
    }
  });

  it("counts wrong witness passwords in the sign-in throttle: then even the right one, and login, are RATE_LIMITED", async () => {
    const witness = await createUser("PHARMACIST");
    for (let i = 0; i < 5; i += 1) {
      const { body } = await askWitness(actor, { ...witness, password: `wrong-password-${i}` }, "DISPATCH");
      expect(body.errors?.[0]?.extensions?.reason).toBe("WITNESS_CREDENTIALS_INVALID");
    }
    const limited = (await askWitness(actor, witness, "DISPATCH")).body.errors?.[0];
    expect(limited?.extensions?.code).toBe("RATE_LIMITED");
    expect(Number(limited?.extensions?.retryAfterSeconds)).toBeGreaterThan(0);
    const login = await gql(LOGIN, { email: witness.email, password: witness.password });
    expect(errorCode(login.body)).toBe("RATE_LIMITED");
    const rows = await queryUsersDb<{ failures: string }>(
      `select count(*) filter (where not success) as failures from users.login_attempts
        where email_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [witness.email],
    );
    expect(rows[0]?.failures).toBe("5");
  });

  it.each([
    ["DISPATCH", {}, "requestId"],
    ["RECEIPT", { requestId: "not-an-id" }, "requestId"],
    ["RECEIPT", { requestId: crypto.randomUUID(), dispenserId: crypto.randomUUID() }, "dispenserId"],
    ["STOCK_LOSS", { dispenserId: crypto.randomUUID() }, "itemId"],
    ["STOCK_LOSS", { itemId: crypto.randomUUID() }, "dispenserId"],
    [
      "STOCK_LOSS",
      { requestId: crypto.randomUUID(), dispenserId: crypto.randomUUID(), itemId: crypto.randomUUID() },
      "requestId",
    ],
  ] as const)("refuses %s bound by %j: BAD_USER_INPUT naming %s", async (step, binding, field) => {
    const { body } = await askWitness(actor, witnesses.PHARMACIST, step, binding);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("needs a signed-in actor", async () => {
    const { body } = await askWitness(null, witnesses.PHARMACIST, "DISPATCH");
    expect(errorCode(body)).toBe("UNAUTHENTICATED");
  });
});
