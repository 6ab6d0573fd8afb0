/**
 * The seeded demo accounts (README, "Demo accounts") as tests sign in with them: one access
 * token per account and test file, and the viewer a subgraph sees for each.
 */
import type { Viewer } from "@asky/contracts";
import { personByEmail } from "@asky/db/seed/people";
import { gql } from "./graphql.js";

export const DEMO_PASSWORD = "asky-demo-2026";

export type DemoAccount =
  "admin@asky.dev" | "pharmacist@asky.dev" | "tech@asky.dev" | "nurse@asky.dev" | "nurse.peds@asky.dev";

const tokens = new Map<DemoAccount, Promise<string>>();

const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;

/**
 * An access token for a demo account, signed in through the real gateway once per test
 * file. The stack's access tokens last the default 15 minutes, longer than any test file runs.
 */
export function demoToken(account: DemoAccount): Promise<string> {
  let token = tokens.get(account);
  if (!token) {
    token = gql<{ login: { accessToken: string } }>(LOGIN, { email: account, password: DEMO_PASSWORD }).then(
      ({ body }) => {
        const accessToken = body.data?.login.accessToken;
        if (!accessToken) throw new Error(`login ${account} failed: ${JSON.stringify(body.errors)}`);
        return accessToken;
      },
    );
    tokens.set(account, token);
  }
  return token;
}

/** The viewer the gateway forwards for a demo account (read from the seed, no sign-in). */
export function demoViewer(account: DemoAccount): Viewer {
  const person = personByEmail(account);
  return { id: person.id, role: person.role, ward: person.ward };
}
