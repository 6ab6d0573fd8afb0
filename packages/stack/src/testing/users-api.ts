/**
 * People through the real API: sign-ins, fresh users created by the admin, and read-only
 * looks into the users schema for assertions. Used by the users tests and by every
 * cross-service scenario that needs a person of its own.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { expect } from "vitest";
import type { Role } from "@asky/contracts";
import { DEMO_PASSWORD } from "./demo-accounts.js";
import { codeOf, gql, type GraphQLResponse } from "./graphql.js";
import { testStack } from "./stack-context.js";

const stack = testStack();

/** Strong enough for the password policy, and unrelated to any generated email or CPF. */
export const STRONG_PASSWORD = "velvet-harbor-compass-41";

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { id: string; email: string; role: Role; ward: string | null };
}

const SESSION_FIELDS = "accessToken refreshToken expiresAt refreshTokenExpiresAt user { id email role ward }";

export const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION_FIELDS} } }`;
export const REFRESH = `mutation($token: String!) { refreshToken(refreshToken: $token) { ${SESSION_FIELDS} } }`;
export const LOGOUT = `mutation($token: String!) { logout(refreshToken: $token) }`;

export const errorCode: (body: GraphQLResponse<unknown>) => unknown = codeOf;

/** Signs in through the stack's gateway, or the one at `url` (a private stack's). */
export async function login(email: string, password: string, options: { url?: string } = {}): Promise<Session> {
  const { body } = await gql<{ login: Session }>(LOGIN, { email, password }, options);
  expect(body.errors, `login ${email}`).toBeUndefined();
  return body.data!.login;
}

/** Ends the session of `session`'s refresh token, through the stack's gateway or the one at `url`. */
export async function logout(session: Pick<Session, "refreshToken">, options: { url?: string } = {}): Promise<void> {
  const { body } = await gql<{ logout: boolean }>(LOGOUT, { token: session.refreshToken }, options);
  expect(body.data?.logout, JSON.stringify(body.errors)).toBe(true);
}

let adminSession: Promise<Session> | null = null;
/** One admin session per test file (files run one at a time against the shared stack). */
export function admin(): Promise<Session> {
  adminSession ??= login("admin@asky.dev", DEMO_PASSWORD);
  return adminSession;
}

/** A CPF nobody else has: 9 random digits plus the two check digits. */
export function freshCpf(): string {
  for (;;) {
    const base = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    if (new Set(base).size === 1) continue;
    const digit = (digits: number[]) => {
      const sum = digits.reduce((total, d, i) => total + d * (digits.length + 1 - i), 0);
      const remainder = (sum * 10) % 11;
      return remainder === 10 ? 0 : remainder;
    };
    const first = digit(base);
    const second = digit([...base, first]);
    return [...base, first, second].join("");
  }
}

export const freshEmail = (label = "user") => `${label}.${randomUUID().slice(0, 8)}@test.asky.dev`;

export interface FreshUser {
  id: string;
  email: string;
  cpf: string;
  role: Role;
  ward: string | null;
  password: string;
}

export const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) { id nickname fullName email phone cpf role ward active }
}`;

/** Creates a user through the API as the demo admin. */
export async function createUser(role: Role = "NURSE", overrides: Record<string, unknown> = {}): Promise<FreshUser> {
  const input = {
    nickname: "Teste",
    fullName: "Pessoa de Teste",
    email: freshEmail(role.toLowerCase()),
    phone: "(11) 98765-4321",
    cpf: freshCpf(),
    role,
    ward: role === "NURSE" ? "UTI-ADULTO" : null,
    password: STRONG_PASSWORD,
    ...overrides,
  };
  const { body } = await gql<{ createUser: FreshUser }>(CREATE_USER, { input }, { token: (await admin()).accessToken });
  expect(body.errors, "createUser").toBeUndefined();
  const created = body.data!.createUser;
  return { ...created, password: String(input.password) };
}

/** A fresh user of `role` and a signed-in session for them. */
export async function signedInAs(role: Role): Promise<{ user: FreshUser; session: Session }> {
  const user = await createUser(role);
  return { user, session: await login(user.email, user.password) };
}

/** Runs one query as the users service's own database role (fixtures and assertions). */
export async function queryUsersDb<TRow extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<TRow[]> {
  const client = new pg.Client({ connectionString: stack.serviceDatabaseUrls.users });
  await client.connect();
  try {
    return (await client.query<TRow>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface AuditEntry {
  action: string;
  detail: string | null;
  ip: string | null;
  actor: { id: string } | null;
  target: { id: string } | null;
}

/** The audit entries about `targetId`, newest first, as an administrator reads them. */
export async function auditOf(targetId: string, action?: string): Promise<AuditEntry[]> {
  const { body } = await gql<{ auditLog: { edges: { node: AuditEntry }[] } }>(
    `query($targetId: ID, $action: String) {
      auditLog(first: 50, targetId: $targetId, action: $action) { edges { node { action detail ip actor { id } target { id } } } }
    }`,
    { targetId, action },
    { token: (await admin()).accessToken },
  );
  expect(body.errors, "auditLog").toBeUndefined();
  return body.data!.auditLog.edges.map((edge) => edge.node);
}

/** Decodes a JWT segment without verifying (the gateway verifies; tests only look). */
export function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split(".")[index];
  return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}
