import { beforeAll, describe, expect, it } from "vitest";
import type { GraphQLResponse } from "@asky/stack/testing";
import {
  CREATE_USER,
  LOGOUT,
  REFRESH,
  LOGIN,
  createUser,
  freshCpf,
  freshEmail,
  gql,
  login,
  signedInAs,
  STRONG_PASSWORD,
  type FreshUser,
  type Role,
  type Session,
} from "./support/users-api.js";

/**
 * Every root field of the users subgraph, for every role and for an anonymous client,
 * through the gateway. Each signed-in role is played by a fresh account, so changing its
 * password or profile cannot disturb other tests.
 */
type Who = Role | "ANONYMOUS";
type Outcome = "ok" | "FORBIDDEN" | "UNAUTHENTICATED";
interface Actor {
  user: FreshUser | null;
  session: Session | null;
}

const everyone: readonly Who[] = ["ANONYMOUS", "NURSE", "PHARMACIST", "PHARMACY_TECHNICIAN", "ADMIN"];
const actors = {} as Record<Who, Actor>;

beforeAll(async () => {
  actors.ANONYMOUS = { user: null, session: null };
  for (const role of ["NURSE", "PHARMACIST", "PHARMACY_TECHNICIAN", "ADMIN"] as const)
    actors[role] = await signedInAs(role);
});

const as =
  (actor: Actor) =>
  (query: string, variables: Record<string, unknown> = {}) =>
    gql(query, variables, actor.session ? { token: actor.session.accessToken } : {});

/** Outcome table shorthands. */
const anyone = (): Record<Who, Outcome> => ({
  ANONYMOUS: "ok",
  NURSE: "ok",
  PHARMACIST: "ok",
  PHARMACY_TECHNICIAN: "ok",
  ADMIN: "ok",
});
const signedIn = (): Record<Who, Outcome> => ({ ...anyone(), ANONYMOUS: "UNAUTHENTICATED" });
const adminOnly = (): Record<Who, Outcome> => ({
  ANONYMOUS: "UNAUTHENTICATED",
  NURSE: "FORBIDDEN",
  PHARMACIST: "FORBIDDEN",
  PHARMACY_TECHNICIAN: "FORBIDDEN",
  ADMIN: "ok",
});
const nobody = (): Record<Who, Outcome> => ({ ...adminOnly(), ADMIN: "FORBIDDEN" });

const UPDATE = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id nickname role ward active } }`;
const ownId = (actor: Actor) => actor.user?.id ?? "00000000-0000-4000-8000-000000000000";

interface Operation {
  name: string;
  expected: Record<Who, Outcome>;
  run(actor: Actor): Promise<{ body: GraphQLResponse<unknown> }>;
}

const operations: Operation[] = [
  { name: "Query.me", expected: signedIn(), run: (actor) => as(actor)(`{ me { id } }`) },
  {
    name: "Query.user",
    expected: signedIn(),
    run: async (actor) => as(actor)(`query($id: ID!) { user(id: $id) { id } }`, { id: (await createUser()).id }),
  },
  { name: "Query.users", expected: adminOnly(), run: (actor) => as(actor)(`{ users(first: 1) { totalCount } }`) },
  { name: "Query.auditLog", expected: adminOnly(), run: (actor) => as(actor)(`{ auditLog(first: 1) { totalCount } }`) },
  {
    name: "Mutation.login",
    expected: anyone(),
    run: async (actor) => {
      const user = await createUser();
      return as(actor)(LOGIN, { email: user.email, password: user.password });
    },
  },
  {
    name: "Mutation.refreshToken",
    expected: anyone(),
    run: async (actor) => {
      const user = await createUser();
      return as(actor)(REFRESH, { token: (await login(user.email, user.password)).refreshToken });
    },
  },
  {
    name: "Mutation.logout",
    expected: anyone(),
    run: async (actor) => {
      const user = await createUser();
      return as(actor)(LOGOUT, { token: (await login(user.email, user.password)).refreshToken });
    },
  },
  {
    name: "Mutation.createUser",
    expected: adminOnly(),
    run: (actor) =>
      as(actor)(CREATE_USER, {
        input: {
          nickname: "Novo",
          fullName: "Pessoa Nova",
          email: freshEmail("new"),
          cpf: freshCpf(),
          role: "PHARMACIST",
          password: STRONG_PASSWORD,
        },
      }),
  },
  {
    name: "Mutation.updateUser (own profile)",
    expected: signedIn(),
    run: (actor) => as(actor)(UPDATE, { id: ownId(actor), input: { nickname: "Apelido" } }),
  },
  {
    name: "Mutation.updateUser (own role)",
    expected: nobody(),
    run: (actor) => as(actor)(UPDATE, { id: ownId(actor), input: { role: "ADMIN" } }),
  },
  {
    name: "Mutation.updateUser (own ward)",
    expected: adminOnly(),
    run: (actor) =>
      as(actor)(UPDATE, { id: ownId(actor), input: { ward: actor.user?.role === "NURSE" ? "PEDIATRIA" : null } }),
  },
  {
    name: "Mutation.updateUser (own active)",
    expected: nobody(),
    run: (actor) => as(actor)(UPDATE, { id: ownId(actor), input: { active: true } }),
  },
  {
    name: "Mutation.updateUser (other's profile)",
    expected: adminOnly(),
    run: async (actor) => as(actor)(UPDATE, { id: (await createUser()).id, input: { nickname: "Outra" } }),
  },
  {
    name: "Mutation.updateUser (other's role)",
    expected: adminOnly(),
    run: async (actor) =>
      as(actor)(UPDATE, { id: (await createUser("NURSE")).id, input: { role: "PHARMACY_TECHNICIAN" } }),
  },
  {
    name: "Mutation.changePassword (own)",
    expected: signedIn(),
    run: (actor) =>
      as(actor)(
        `mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }`,
        {
          current: actor.user?.password ?? STRONG_PASSWORD,
          next: "orchid-lantern-meadow-77",
        },
      ),
  },
  {
    // Any signed-in actor may ask; the witness (a fresh pharmacist) is checked on their own.
    name: "Mutation.issueWitnessToken",
    expected: signedIn(),
    run: async (actor) => {
      const witness = await createUser("PHARMACIST");
      return as(actor)(`mutation($input: IssueWitnessTokenInput!) { issueWitnessToken(input: $input) { expiresAt } }`, {
        input: {
          email: witness.email,
          password: witness.password,
          transition: "DISPATCH",
          requestId: "00000000-0000-4000-8000-000000000001",
        },
      });
    },
  },
  {
    name: "Mutation.deleteUser",
    expected: adminOnly(),
    run: async (actor) =>
      as(actor)(`mutation($id: ID!) { deleteUser(id: $id) { active } }`, { id: (await createUser()).id }),
  },
];

describe.each(operations)("$name", (operation) => {
  it.each(everyone)("as %s", async (who) => {
    const { body } = await operation.run(actors[who]);
    const expected = operation.expected[who];
    if (expected === "ok") {
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(body.data).toBeTruthy();
    } else {
      expect(body.errors?.[0]?.extensions?.code).toBe(expected);
    }
  });
});

it("covers every Query and Mutation field of the users schema", async () => {
  const { body } = await gql<{ q: { fields: { name: string }[] }; m: { fields: { name: string }[] } }>(
    `{ q: __type(name: "Query") { fields { name } } m: __type(name: "Mutation") { fields { name } } }`,
  );
  const covered = new Set(operations.map((operation) => operation.name.split(" ")[0]));
  const usersFields = ["me", "user", "users", "auditLog"]
    .map((f) => `Query.${f}`)
    .concat(
      [
        "login",
        "refreshToken",
        "logout",
        "createUser",
        "updateUser",
        "changePassword",
        "deleteUser",
        "issueWitnessToken",
      ].map((f) => `Mutation.${f}`),
    );
  for (const field of usersFields) expect(covered, field).toContain(field);
  const exposed = new Set([
    ...(body.data?.q.fields ?? []).map((f) => `Query.${f.name}`),
    ...(body.data?.m.fields ?? []).map((f) => `Mutation.${f.name}`),
  ]);
  for (const field of usersFields) expect(exposed, field).toContain(field);
});
