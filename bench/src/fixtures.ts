import { decodeJwt } from "jose";
import { viewerFromClaims } from "@asky/auth";
import { type Viewer } from "@asky/contracts";

export const DEMO_PASSWORD = "asky-demo-2026";
export const WARD = "UTI-ADULTO";

/** Scenario 1/2's operation: a ward's board, 20 requests with requester, cabinet and items. */
export const wardBoardQuery = `query WardBoard($ward: String!) {
  requests(first: 20, ward: $ward) {
    totalCount
    edges { node { id number status priority createdAt requester { fullName } dispenser { name code } items { quantity item { name unit } } } }
  }
}`;
export const wardBoardBody = JSON.stringify({
  query: wardBoardQuery,
  variables: { ward: WARD },
  operationName: "WardBoard",
});

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  if (!body.data || body.errors?.length)
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

export async function login(gatewayUrl: string, email: string): Promise<string> {
  const data = await gql<{ login: { accessToken: string } }>(
    gatewayUrl,
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`,
    { email, password: DEMO_PASSWORD },
  );
  return data.login.accessToken;
}

/** Who an access token speaks for, so that peers can sign internal tokens for the same person. */
export function viewerOf(accessToken: string): { viewer: Viewer; sessionId: string | null } {
  const claims = decodeJwt(accessToken) as { sub?: string; role?: string; ward?: string | null; sid?: string };
  const viewer = viewerFromClaims(claims);
  if (!viewer) throw new Error("access token without subject");
  return { viewer, sessionId: claims.sid ?? null };
}

export interface Fixtures {
  nurseToken: string;
  pharmacistToken: string;
  dispenserId: string;
  medicationIds: string[];
}

export async function loadFixtures(gatewayUrl: string): Promise<Fixtures> {
  const nurseToken = await login(gatewayUrl, "nurse@asky.dev");
  const pharmacistToken = await login(gatewayUrl, "pharmacist@asky.dev");
  const { dispensers } = await gql<{ dispensers: { edges: { node: { id: string; status: string } }[] } }>(
    gatewayUrl,
    `query($ward: String) { dispensers(first: 20, ward: $ward) { edges { node { id status } } } }`,
    { ward: WARD },
    nurseToken,
  );
  const dispenser = dispensers.edges.map((edge) => edge.node).find((node) => node.status === "ONLINE");
  if (!dispenser) throw new Error(`no ONLINE dispenser in ${WARD}`);
  const { catalog } = await gql<{ catalog: { edges: { node: { id: string } }[] } }>(
    gatewayUrl,
    `{ catalog(first: 3, kind: MEDICATION) { edges { node { id } } } }`,
    {},
    nurseToken,
  );
  return {
    nurseToken,
    pharmacistToken,
    dispenserId: dispenser.id,
    medicationIds: catalog.edges.map((edge) => edge.node.id),
  };
}

let sequence = 0;

/** A createRequest body with a fresh idempotency key (every call is a new request). */
export function createRequestBody(fixtures: Fixtures, tag: string): string {
  sequence += 1;
  return JSON.stringify({
    query: `mutation Create($input: CreateRequestInput!) { createRequest(input: $input) { id number status version } }`,
    operationName: "Create",
    variables: {
      input: {
        kind: "MEDICATION",
        priority: "ROUTINE",
        dispenserId: fixtures.dispenserId,
        items: fixtures.medicationIds.slice(0, 2).map((itemId, i) => ({ itemId, quantity: 1 + i })),
        note: "bench",
        idempotencyKey: `bench-${tag}-${process.pid}-${sequence}`,
      },
    },
  });
}

export async function createRequest(
  gatewayUrl: string,
  fixtures: Fixtures,
  tag: string,
): Promise<{ id: string; version: number }> {
  const response = await fetch(gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${fixtures.nurseToken}` },
    body: createRequestBody(fixtures, tag),
  });
  const body = (await response.json()) as GraphQLBody<{ createRequest: { id: string; version: number } }>;
  if (!body.data?.createRequest) throw new Error(`createRequest failed: ${JSON.stringify(body.errors)}`);
  return body.data.createRequest;
}

export async function wardRequestCount(gatewayUrl: string, token: string): Promise<number> {
  const data = await gql<{ requests: { totalCount: number } }>(
    gatewayUrl,
    `query($ward: String) { requests(first: 1, ward: $ward) { totalCount } }`,
    { ward: WARD },
    token,
  );
  return data.requests.totalCount;
}

/** The ward board must show 20 requests: tops the seed up with fresh ones. */
export async function ensureWardBoard(gatewayUrl: string, fixtures: Fixtures): Promise<void> {
  const count = await wardRequestCount(gatewayUrl, fixtures.nurseToken);
  for (let i = count; i < 20; i += 1) await createRequest(gatewayUrl, fixtures, "seed");
}

/** Checks that a target answers the ward board correctly (20 requests, no errors). */
export async function checkWardBoard(url: string, token?: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: wardBoardBody,
  });
  const text = await response.text();
  const body = JSON.parse(text) as GraphQLBody<{
    requests: {
      edges: { node: { requester: { fullName: string | null }; items: { item: { name: string | null } }[] } }[];
    };
  }>;
  const edges = body.data?.requests.edges ?? [];
  const complete = edges.every(
    (edge) => edge.node.requester.fullName && edge.node.items.every((line) => line.item.name),
  );
  if (response.status !== 200 || body.errors?.length || edges.length !== 20 || !complete) {
    throw new Error(`${url} answered the ward board wrongly: ${response.status} ${text.slice(0, 500)}`);
  }
  return text.length;
}
