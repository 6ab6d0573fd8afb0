/**
 * Helpers for the custody tests (issue 16): requests walked to a status with a pick, the view
 * of a request that a refusal must leave as it was (lines with received quantities, history
 * with witnesses, backorders), status moves and receipts at the version last seen, and witness
 * tokens asked at the actor's device.
 */
import { expect } from "vitest";
import { DEMO_PASSWORD, type DemoAccount, type GraphQLResponse } from "@asky/stack/testing";
import { goodUntil, pick, requestIn } from "./pick-support.js";
import { ask, itemId, ok, pharmacist, tech } from "./support.js";

export const morphine = itemId("MED-MORFINA-10-AMP");
export const lots = (quantity: number, lotNumber = "L-1") => [{ lotNumber, expiresAt: goodUntil, quantity }];

const lineFields = `item { id } status quantityDispatched quantityReceived receiptNote controlled`;
const requestFields = `id status version backorderOf { id } items { ${lineFields} quantityRequested }
  history { event to by { id } witness { id } reason }`;

export interface CustodyView {
  id: string;
  status: string;
  version: number;
  backorderOf: { id: string } | null;
  items: {
    item: { id: string };
    status: string;
    quantityRequested: number;
    quantityDispatched: number | null;
    quantityReceived: number | null;
    receiptNote: string | null;
    controlled: boolean | null;
  }[];
  history: { event: string; to: string; by: { id: string }; witness: { id: string } | null; reason: string | null }[];
  backorders: Omit<CustodyView, "backorders">[];
}

export const custodyView = async (id: string): Promise<CustodyView> =>
  (
    await ok<{ request: CustodyView }>(
      pharmacist,
      `query($id: ID!) { request(id: $id) { ${requestFields} backorders { ${requestFields} } } }`,
      { id },
    )
  ).request;

const CHANGE = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version status } }`;
const RECEIVE = `mutation($input: ConfirmReceiptInput!) { confirmReceipt(input: $input) { id version status } }`;

export const tryMove = (account: DemoAccount, input: Record<string, unknown>) =>
  ask<{ changeRequestStatus: { version: number } }>(account, CHANGE, { input });

export const tryReceive = (account: DemoAccount, input: Record<string, unknown>) =>
  ask<{ confirmReceipt: { version: number; status: string } }>(account, RECEIVE, { input });

/** Moves the request to `status` at its current version. */
export async function move(account: DemoAccount, id: string, status: string, extra: Record<string, unknown> = {}) {
  const { version } = await custodyView(id);
  const input = { requestId: id, status, expectedVersion: version, ...extra };
  return (await ok<{ changeRequestStatus: { version: number } }>(account, CHANGE, { input })).changeRequestStatus;
}

/** A PREPARING request of the UTI cabinet with `lines` picked by the technician. */
export async function pickedRequest(
  items: { itemId: string; quantity: number }[],
  lines: Record<string, unknown>[],
  kind = "MEDICATION",
): Promise<string> {
  const request = await requestIn(items, "PREPARING", kind);
  await pick(tech, { requestId: request.id, expectedVersion: request.version, lines });
  return request.id;
}

/** The demo pharmacist confirms `step` of the request at `actor`'s device. */
export async function witnessToken(actor: DemoAccount, requestId: string, step: "DISPATCH" | "RECEIPT") {
  const input = { email: pharmacist, password: DEMO_PASSWORD, transition: step, requestId };
  const data = await ok<{ issueWitnessToken: { token: string } }>(
    actor,
    `mutation($input: IssueWitnessTokenInput!) { issueWitnessToken(input: $input) { token } }`,
    { input },
  );
  return data.issueWitnessToken.token;
}

/** A refusal whose extensions match `expected`, after which the request is exactly as it was. */
export async function refused(
  id: string,
  attempt: (version: number) => Promise<GraphQLResponse<unknown>>,
  expected: Record<string, unknown>,
): Promise<void> {
  const before = await custodyView(id);
  const response = await attempt(before.version);
  expect(response.errors?.[0]?.extensions).toMatchObject(expected);
  expect(await custodyView(id)).toEqual(before);
}
