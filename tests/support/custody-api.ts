/**
 * The chain of custody through the gateway (issue 16): the full view of a request (lines,
 * history with witnesses, backorders) that a refusal must leave exactly as it was, status
 * moves at the version last seen, and witness tokens asked at an actor's device.
 */
import { expect } from "vitest";
import { dispenserId, itemId } from "@asky/db/seed/ids";
import { personByEmail } from "@asky/db/seed/people";
import { asGateway, type GraphQLClient, type GraphQLResponse } from "@asky/stack/testing";

export const nurse = asGateway("nurse@asky.dev");
export const tech = asGateway("tech@asky.dev");
export const picker = asGateway("pharmacist@asky.dev");
export const idOf = (email: string) => personByEmail(email).id;
export const cabinet = dispenserId("PYX-UTI-01");
export const morphine = itemId("MED-MORFINA-10-AMP");
export const dipirona = itemId("MED-DIPIRONA-500-CP");
export const lot = (lotNumber: string, quantity: number) => ({ lotNumber, expiresAt: "2031-12-31", quantity });

const lineFields = `item { id } status quantityDispatched quantityReceived receiptNote controlled lots { lotNumber quantity }`;
const requestFields = `id kind priority ward status version requester { id } dispenser { id } backorderOf { id }
  items { ${lineFields} } history { event from to by { id } witness { id } reason }`;
const viewFields = `${requestFields} backorders { ${requestFields} }`;

export interface Line {
  item: { id: string };
  status: string;
  quantityDispatched: number | null;
  quantityReceived: number | null;
  receiptNote: string | null;
  controlled: boolean | null;
  lots: { lotNumber: string; quantity: number }[];
}
export interface History {
  event: string;
  from: string | null;
  to: string;
  by: { id: string };
  witness: { id: string } | null;
  reason: string | null;
}
export interface View {
  id: string;
  kind: string;
  priority: string;
  ward: string;
  status: string;
  version: number;
  requester: { id: string };
  dispenser: { id: string };
  backorderOf: { id: string } | null;
  items: Line[];
  history: History[];
  backorders: View[];
}

export const view = async (id: string): Promise<View> =>
  (await picker.ok<{ request: View }>(`query($id: ID!) { request(id: $id) { ${viewFields} } }`, { id })).request;

export const CHANGE = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version status } }`;
export const RECEIVE = `mutation($input: ConfirmReceiptInput!) { confirmReceipt(input: $input) { id version status } }`;
export const PICK = `mutation($input: RecordPickInput!) { recordPick(input: $input) { id version } }`;
export const ISSUE = `mutation($input: IssueWitnessTokenInput!) { issueWitnessToken(input: $input) { token witness { id } } }`;

export async function move(who: GraphQLClient, id: string, status: string, extra: Record<string, unknown> = {}) {
  const { version } = await view(id);
  const input = { requestId: id, status, expectedVersion: version, ...extra };
  return (await who.ok<{ changeRequestStatus: { version: number } }>(CHANGE, { input })).changeRequestStatus;
}

/** `witness` confirms `step` of the request at `actor`'s device. */
export async function witnessToken(
  actor: GraphQLClient,
  witness: { email: string; password: string },
  requestId: string,
  step: string,
) {
  const input = { email: witness.email, password: witness.password, transition: step, requestId };
  return (await actor.ok<{ issueWitnessToken: { token: string } }>(ISSUE, { input })).issueWitnessToken.token;
}

/** A refusal with this code and reason, after which the request is exactly as it was. */
export async function refused(
  id: string,
  attempt: (version: number) => Promise<GraphQLResponse<unknown>>,
  expected: { code: string; reason?: string },
) {
  const before = await view(id);
  const { errors } = await attempt(before.version);
  expect(errors?.[0]?.extensions).toMatchObject(expected);
  expect(await view(id)).toEqual(before);
}
