/**
 * Helpers for the requests tests, over the shared harness (@asky/stack/testing): operations
 * through the real gateway as the demo accounts, fresh cabinets (so restock tests never meet
 * a seeded open RESTOCK), a superuser pool for assertions, and the ASKY stream's events.
 */
import pg from "pg";
import { inject } from "vitest";
import { dispenserId, itemId } from "@asky/db/seed/ids";
import { personByEmail } from "@asky/db/seed/people";
import { asGateway, type DemoAccount, type GraphQLResponse, type StoredEvent } from "@asky/stack/testing";

export { dispenserId, itemId };
export type { GraphQLResponse, StoredEvent };
export { codeOf, eventually, eventsOf, readStream, streamEvents } from "@asky/stack/testing";

export const admin = "admin@asky.dev";
export const pharmacist = "pharmacist@asky.dev";
export const tech = "tech@asky.dev";
export const nurse = "nurse@asky.dev";
export const pedsNurse = "nurse.peds@asky.dev";

export const idOf = (account: DemoAccount): string => personByEmail(account).id;

/** Seeded cabinets and items the tests lean on (ward UTI-ADULTO is nurse@asky.dev's). */
export const utiCabinet = dispenserId("PYX-UTI-01");
export const pedsCabinet = dispenserId("PYX-PED-01");
export const dipirona = itemId("MED-DIPIRONA-500-CP");
export const paracetamol = itemId("MED-PARACETAMOL-500-CP");
export const syringe = itemId("MAT-SERINGA-5ML");

/** One operation through the real gateway, signed in as `account`. */
export const ask = <TData = Record<string, unknown>>(
  account: DemoAccount,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<TData>> => asGateway(account).call<TData>(query, variables);

/** The data of an operation that must succeed; fails the test with the errors otherwise. */
export const ok = <TData = Record<string, unknown>>(
  account: DemoAccount,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<TData> => asGateway(account).ok<TData>(query, variables);

export const requestFields = `id number kind priority status version ward note totalCost assistanceReason reasonCode reason
  requester { id } assignee { id } dispenser { id }
  items { quantity unitCost item { id } }
  history { from to by { id } reasonCode reason }`;

export interface RequestView {
  id: string;
  number: string;
  kind: string;
  priority: string;
  status: string;
  version: number;
  ward: string;
  note: string | null;
  totalCost: number;
  assistanceReason: string | null;
  reasonCode: string | null;
  reason: string | null;
  requester: { id: string };
  assignee: { id: string } | null;
  dispenser: { id: string };
  items: { quantity: number; unitCost: number; item: { id: string } }[];
  history: { from: string | null; to: string; by: { id: string }; reasonCode: string | null; reason: string | null }[];
}

const createMutation = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { ${requestFields} } }`;
const changeMutation = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { ${requestFields} } }`;

export const tryCreate = (account: DemoAccount, input: Record<string, unknown>) =>
  ask<{ createRequest: RequestView }>(account, createMutation, { input });

export const create = async (account: DemoAccount, input: Record<string, unknown>) =>
  (await ok<{ createRequest: RequestView }>(account, createMutation, { input })).createRequest;

export const tryChange = (account: DemoAccount, input: Record<string, unknown>) =>
  ask<{ changeRequestStatus: RequestView }>(account, changeMutation, { input });

export const change = async (account: DemoAccount, input: Record<string, unknown>) =>
  (await ok<{ changeRequestStatus: RequestView }>(account, changeMutation, { input })).changeRequestStatus;

export const read = async (account: DemoAccount, id: string) =>
  (
    await ok<{ request: RequestView | null }>(account, `query($id: ID!) { request(id: $id) { ${requestFields} } }`, {
      id,
    })
  ).request;

/** A PENDING medication request from the UTI nurse. */
export const medicationRequest = (extra: Record<string, unknown> = {}) =>
  create(nurse, { kind: "MEDICATION", dispenserId: utiCabinet, items: [{ itemId: dipirona, quantity: 2 }], ...extra });

export const unique = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

/** A new cabinet (ADMIN), so that nothing seeded or left by another test is open for it. */
export async function newCabinet(ward = "UTI-ADULTO", status = "ONLINE"): Promise<string> {
  const data = await ok<{ createDispenser: { id: string } }>(
    admin,
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
    { input: { code: unique("PYX-REQ"), name: "Requests test cabinet", ward, location: "Sala de testes", status } },
  );
  return data.createDispenser.id;
}

/** Superuser connection for assertions only. */
export const adminPool = (url = inject("adminDatabaseUrl")): pg.Pool => new pg.Pool({ connectionString: url, max: 3 });
