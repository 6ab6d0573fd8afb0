/**
 * Helpers for the recordPick tests: a request walked to PREPARING, picks through the gateway,
 * and the full view of a request (version, history, lines and lots) that a refusal must leave
 * exactly as it was.
 */
import type { DemoAccount } from "@asky/stack/testing";
import { ask, change, create, nurse, ok, pharmacist, tech, utiCabinet } from "./support.js";

export const lineFields = `id status quantityRequested quantity quantityDispatched quantityReceived reasonCode unitCost
  item { id } lots { lotNumber expiresAt quantity }`;

export const pickFields = `id status version
  history { event from to by { id } }
  items { ${lineFields} substitutedBy { ${lineFields} } }`;

export interface LineView {
  id: string;
  status: string;
  quantityRequested: number;
  quantity: number;
  quantityDispatched: number | null;
  quantityReceived: number | null;
  reasonCode: string | null;
  unitCost: number;
  item: { id: string };
  lots: { lotNumber: string; expiresAt: string | null; quantity: number }[];
  substitutedBy: LineView | null;
}

export interface PickView {
  id: string;
  status: string;
  version: number;
  history: { event: string; from: string | null; to: string; by: { id: string } }[];
  items: LineView[];
}

/** Far enough ahead for any run of the suite, and long past. */
export const goodUntil = "2031-12-31";
export const expired = "2020-01-31";

const pickMutation = `mutation($input: RecordPickInput!) { recordPick(input: $input) { ${pickFields} } }`;

export const tryPick = (account: DemoAccount, input: Record<string, unknown>) =>
  ask<{ recordPick: PickView }>(account, pickMutation, { input });

export const pick = async (account: DemoAccount, input: Record<string, unknown>) =>
  (await ok<{ recordPick: PickView }>(account, pickMutation, { input })).recordPick;

/** The request as the pharmacy sees it: what a refused pick must not change. */
export const view = async (id: string): Promise<PickView> =>
  (await ok<{ request: PickView }>(pharmacist, `query($id: ID!) { request(id: $id) { ${pickFields} } }`, { id }))
    .request;

/** A new request of the UTI cabinet moved by the technician to `status` (PREPARING by default). */
export async function requestIn(
  items: { itemId: string; quantity: number }[],
  status: "ACCEPTED" | "PREPARING" = "PREPARING",
  kind = "MEDICATION",
): Promise<PickView> {
  const created = await create(nurse, { kind, dispenserId: utiCabinet, items });
  let version = created.version;
  for (const to of ["ACCEPTED", "PREPARING"]) {
    version = (await change(tech, { requestId: created.id, status: to, expectedVersion: version })).version;
    if (to === status) break;
  }
  return view(created.id);
}

export const lineOf = (request: PickView, itemId: string): LineView => {
  const line = request.items.find((candidate) => candidate.item.id === itemId);
  if (!line) throw new Error(`no line for ${itemId}`);
  return line;
};
