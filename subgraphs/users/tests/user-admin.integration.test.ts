import { describe, expect, it } from "vitest";
import {
  CREATE_USER,
  DEMO_PASSWORD,
  LOGIN,
  REFRESH,
  STRONG_PASSWORD,
  admin,
  auditOf,
  createUser,
  errorCode,
  freshCpf,
  freshEmail,
  gql,
  login,
  queryUsersDb,
  signedInAs,
} from "./support/users-api.js";

const UPDATE = `mutation($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id nickname fullName email phone cpf role ward active }
}`;
const CHANGE_PASSWORD = `mutation($current: String!, $next: String!, $keep: String) {
  changePassword(currentPassword: $current, newPassword: $next, refreshToken: $keep)
}`;

async function asAdmin<T>(query: string, variables: Record<string, unknown>) {
  return gql<T>(query, variables, { token: (await admin()).accessToken });
}

const newUserInput = (overrides: Record<string, unknown> = {}) => ({
  nickname: "Bia",
  fullName: "Beatriz  Teste",
  email: freshEmail("bia"),
  phone: "(21) 99876-5432",
  cpf: freshCpf(),
  role: "NURSE",
  ward: "pediatria",
  password: STRONG_PASSWORD,
  ...overrides,
});

describe("createUser", () => {
  it("accepts the acceptance CPFs in either notation and normalizes every field", async () => {
    // The acceptance CPFs may already exist from an earlier run of this file on a reused database.
    await queryUsersDb(
      "delete from users.users where cpf in ('11144477735', '52998224725') and email like '%@test.asky.dev'",
    );
    for (const cpf of ["111.444.777-35", "52998224725"]) {
      const input = newUserInput({ cpf, email: `  ${freshEmail("Acc").toUpperCase()} ` });
      const { body } = await asAdmin<{ createUser: Record<string, unknown> }>(CREATE_USER, { input });
      expect(body.errors).toBeUndefined();
      expect(body.data!.createUser).toMatchObject({
        nickname: "Bia",
        fullName: "Beatriz Teste",
        email: input.email.trim().toLowerCase(),
        phone: "+5521998765432",
        cpf: cpf.replace(/\D/g, ""),
        role: "NURSE",
        ward: "PEDIATRIA",
        active: true,
      });
    }
  });

  it.each([
    ["cpf", { cpf: "111.111.111-11" }],
    ["cpf", { cpf: "123.456.789-00" }],
    ["email", { email: "not-an-email" }],
    ["phone", { phone: "12345" }],
    ["nickname", { nickname: "B" }],
    ["ward", { ward: null }],
    ["ward", { role: "PHARMACIST", ward: "UTI-ADULTO" }],
    ["password", { password: "short-one" }],
    ["password", { password: "senha12345678" }],
  ])("rejects a bad %s with BAD_USER_INPUT naming the field (%j)", async (field, overrides) => {
    const { body } = await asAdmin(CREATE_USER, { input: newUserInput(overrides) });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("rejects a password containing the email name or the CPF", async () => {
    const cpf = freshCpf();
    const email = freshEmail("carolina");
    for (const password of [`carolina-gosta-de-${Date.now()}`, `cafe-forte-${cpf}`]) {
      const { body } = await asAdmin(CREATE_USER, { input: newUserInput({ email, cpf, password }) });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    }
  });

  it("answers CONFLICT for a duplicate email or CPF, in any notation", async () => {
    const existing = await createUser("PHARMACIST");
    const formatted = existing.cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, "$1.$2.$3-$4");
    const byEmail = await asAdmin(CREATE_USER, { input: newUserInput({ email: existing.email.toUpperCase() }) });
    expect(byEmail.body.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "email" });
    const byCpf = await asAdmin(CREATE_USER, { input: newUserInput({ cpf: formatted }) });
    expect(byCpf.body.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "cpf" });
  });

  it("audits the creation with the administrator as actor", async () => {
    const user = await createUser("PHARMACY_TECHNICIAN");
    const [entry] = await auditOf(user.id, "user.create");
    expect(entry).toMatchObject({ actor: { id: (await admin()).user.id }, target: { id: user.id } });
    expect(JSON.parse(entry!.detail!)).toEqual({ email: user.email, role: "PHARMACY_TECHNICIAN", ward: null });
    expect(entry!.detail).not.toContain(user.cpf);
  });
});

describe("updateUser", () => {
  it("lets a user edit their own profile, and audits a diff", async () => {
    const { user, session } = await signedInAs("NURSE");
    const email = freshEmail("self");
    const { body } = await gql<{ updateUser: Record<string, unknown> }>(
      UPDATE,
      { id: user.id, input: { nickname: "Aninha", phone: null, email: email.toUpperCase() } },
      { token: session.accessToken },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.updateUser).toMatchObject({ nickname: "Aninha", phone: null, email, role: "NURSE" });
    const [entry] = await auditOf(user.id, "user.update");
    expect(entry?.actor?.id).toBe(user.id);
    expect(JSON.parse(entry!.detail!)).toEqual({
      changes: {
        nickname: { from: "Teste", to: "Aninha" },
        email: { from: user.email, to: email },
        phone: { from: "+5511987654321", to: null },
      },
    });
  });

  it("lets an administrator move a nurse to the pharmacy, dropping her ward, and audits the role change", async () => {
    const nurse = await createUser("NURSE");
    const { body } = await asAdmin<{ updateUser: { role: string; ward: string | null } }>(UPDATE, {
      id: nurse.id,
      input: { role: "PHARMACIST" },
    });
    expect(body.data?.updateUser).toMatchObject({ role: "PHARMACIST", ward: null });
    const [roleChange] = await auditOf(nurse.id, "user.role_change");
    expect(JSON.parse(roleChange!.detail!)).toEqual({ from: "NURSE", to: "PHARMACIST" });
    // The next refresh carries the new role: no stale pharmacist-or-nurse token.
    const session = await login(nurse.email, nurse.password);
    expect(session.user.role).toBe("PHARMACIST");
  });

  it("refuses a nurse without a ward, NOT_FOUND for unknown users, and ignores no-op updates", async () => {
    const nurse = await createUser("NURSE");
    expect((await asAdmin(UPDATE, { id: nurse.id, input: { ward: null } })).body.errors?.[0]?.extensions).toMatchObject(
      { code: "BAD_USER_INPUT", field: "ward" },
    );
    expect(
      errorCode(
        (await asAdmin(UPDATE, { id: "00000000-0000-4000-8000-000000000000", input: { nickname: "X y" } })).body,
      ),
    ).toBe("NOT_FOUND");
    expect(errorCode((await asAdmin(UPDATE, { id: "not-a-uuid", input: { nickname: "X y" } })).body)).toBe("NOT_FOUND");
    await asAdmin(UPDATE, { id: nurse.id, input: { nickname: "Teste" } });
    expect(await auditOf(nurse.id, "user.update")).toHaveLength(0);
  });

  it("lets an administrator reset a password, ending every session of that user", async () => {
    const { user, session } = await signedInAs("PHARMACIST");
    const reset = await asAdmin(UPDATE, { id: user.id, input: { password: "granite-willow-sparrow-19" } });
    expect(reset.body.errors).toBeUndefined();
    expect(errorCode((await gql(REFRESH, { token: session.refreshToken })).body)).toBe("UNAUTHENTICATED");
    await login(user.email, "granite-willow-sparrow-19");
    const [entry] = await auditOf(user.id, "user.password_reset");
    expect(entry?.detail).not.toContain("granite");
    expect(JSON.stringify(await auditOf(user.id))).not.toContain("granite");
  });
});

describe("changePassword", () => {
  it("requires the current password, ends other sessions and keeps the one named", async () => {
    const { user, session } = await signedInAs("NURSE");
    const other = await login(user.email, user.password);
    const wrong = await gql(
      CHANGE_PASSWORD,
      { current: "not-my-password", next: "harbor-ember-violet-58" },
      { token: session.accessToken },
    );
    expect(wrong.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "currentPassword" });
    const weak = await gql(
      CHANGE_PASSWORD,
      { current: user.password, next: "senha123456789" },
      { token: session.accessToken },
    );
    expect(weak.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "newPassword" });

    const changed = await gql<{ changePassword: boolean }>(
      CHANGE_PASSWORD,
      { current: user.password, next: "harbor-ember-violet-58", keep: session.refreshToken },
      { token: session.accessToken },
    );
    expect(changed.body.data?.changePassword).toBe(true);
    expect(errorCode((await gql(REFRESH, { token: other.refreshToken })).body)).toBe("UNAUTHENTICATED");
    expect((await gql(REFRESH, { token: session.refreshToken })).body.errors).toBeUndefined();
    expect(errorCode((await gql(LOGIN, { email: user.email, password: user.password })).body)).toBe("UNAUTHENTICATED");
    await login(user.email, "harbor-ember-violet-58");

    const [entry] = await auditOf(user.id, "user.password_change");
    expect(JSON.parse(entry!.detail!)).toEqual({ revokedSessions: 1, keptSession: true });
    const rows = await queryUsersDb<{ password_hash: string }>("select password_hash from users.users where id = $1", [
      user.id,
    ]);
    expect(rows[0]?.password_hash.startsWith("$argon2id$")).toBe(true);
  });
});

describe("CPF visibility and the audit log", () => {
  it("shows the CPF to its owner and to ADMIN only; nurses see colleagues' basic fields", async () => {
    const target = await createUser("PHARMACIST");
    const query = `query($id: ID!) { user(id: $id) { id fullName role cpf } }`;
    const asNurse = await gql<{ user: { cpf: string | null; fullName: string } }>(
      query,
      { id: target.id },
      { token: (await login("nurse@asky.dev", DEMO_PASSWORD)).accessToken },
    );
    expect(asNurse.body.data?.user).toMatchObject({ fullName: "Pessoa de Teste", role: "PHARMACIST", cpf: null });
    const asSelf = await gql<{ user: { cpf: string | null } }>(
      query,
      { id: target.id },
      { token: (await login(target.email, target.password)).accessToken },
    );
    expect(asSelf.body.data?.user.cpf).toBe(target.cpf);
    expect((await asAdmin<{ user: { cpf: string } }>(query, { id: target.id })).body.data?.user.cpf).toBe(target.cpf);
  });

  it("pages newest first and filters by actor, target and action", async () => {
    const user = await createUser("NURSE");
    await login(user.email, user.password);
    await login(user.email, user.password);
    const page = `query($after: String, $target: ID, $actor: ID) {
      auditLog(first: 1, after: $after, targetId: $target, actorId: $actor, action: "user.login") {
        totalCount edges { cursor node { action at actor { id } } } pageInfo { hasNextPage endCursor }
      }
    }`;
    type Page = {
      auditLog: {
        totalCount: number;
        edges: { node: { at: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await asAdmin<Page>(page, { target: user.id, actor: user.id });
    expect(first.body.data?.auditLog).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = await asAdmin<Page>(page, {
      target: user.id,
      actor: user.id,
      after: first.body.data!.auditLog.pageInfo.endCursor,
    });
    expect(second.body.data?.auditLog.pageInfo.hasNextPage).toBe(false);
    expect(Date.parse(second.body.data!.auditLog.edges[0]!.node.at)).toBeLessThanOrEqual(
      Date.parse(first.body.data!.auditLog.edges[0]!.node.at),
    );
    expect(errorCode((await asAdmin(page, { after: "garbage" })).body)).toBe("BAD_USER_INPUT");
    expect((await asAdmin<Page>(page, { target: "not-a-uuid" })).body.data?.auditLog.totalCount).toBe(0);
  });
});
