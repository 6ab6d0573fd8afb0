/**
 * Every refused pick is a coded error that changes nothing: the request's version, history,
 * lines and lots are read again afterwards and compared whole.
 */
import { describe, expect, it } from "vitest";
import type { DemoAccount } from "@asky/stack/testing";
import { expired, goodUntil, requestIn, tryPick, view, type PickView } from "./pick-support.js";
import { admin, dipirona, nurse, paracetamol, pharmacist, syringe, tech } from "./support.js";

const someId = "6f1c1a44-2a0c-4c0e-9d0a-5b1f0c3e8d21";
const goodLots = (quantity: number) => [{ lotNumber: "L-OK", expiresAt: goodUntil, quantity }];

/** Runs a pick that must be refused; returns its error's extensions after checking nothing changed. */
async function refused(
  request: PickView,
  lines: Record<string, unknown>[],
  account: DemoAccount = tech,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const before = await view(request.id);
  const response = await tryPick(account, { requestId: request.id, expectedVersion: request.version, lines, ...extra });
  expect(response.data?.recordPick ?? null).toBeNull();
  expect(await view(request.id)).toEqual(before);
  return (response.errors?.[0]?.extensions ?? {}) as Record<string, unknown>;
}

describe("recordPick refusals", () => {
  it("a short pick without a reason, and OTHER without a note", async () => {
    const request = await requestIn([{ itemId: syringe, quantity: 5 }], "PREPARING", "MATERIAL");
    expect(await refused(request, [{ itemId: syringe, quantity: 3 }])).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "lines[0].reasonCode",
    });
    expect(await refused(request, [{ itemId: syringe, quantity: 3, reasonCode: "OTHER" }])).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "lines[0].note",
    });
  });

  it("an expired lot, lots that do not add up, a medication without lots, more than requested", async () => {
    const request = await requestIn([{ itemId: dipirona, quantity: 6 }]);
    const lots = [{ lotNumber: "OLD", expiresAt: expired, quantity: 6 }];
    expect(await refused(request, [{ itemId: dipirona, quantity: 6, lots }])).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "lines[0].lots[0].expiresAt",
      reason: "EXPIRED_LOT",
    });
    expect(await refused(request, [{ itemId: dipirona, quantity: 6, lots: goodLots(5) }])).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "LOTS_DO_NOT_ADD_UP",
    });
    expect(await refused(request, [{ itemId: dipirona, quantity: 6 }])).toMatchObject({ reason: "LOTS_REQUIRED" });
    expect(await refused(request, [{ itemId: dipirona, quantity: 7, lots: goodLots(7) }])).toMatchObject({
      field: "lines[0].quantity",
    });
  });

  it("an item the request did not ask for, and a material substituting a medication", async () => {
    const request = await requestIn([{ itemId: dipirona, quantity: 6 }]);
    expect(await refused(request, [{ itemId: paracetamol, quantity: 1, lots: goodLots(1) }])).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "lines[0].itemId",
    });
    expect(await refused(request, [{ itemId: someId, quantity: 1, lots: goodLots(1) }])).toMatchObject({
      field: "lines[0].itemId",
    });
    const substitute = { itemId: dipirona, quantity: 6, substituteItemId: syringe, lots: goodLots(6) };
    expect(await refused(request, [substitute])).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "lines[0].substituteItemId",
      reason: "SUBSTITUTE_KIND_MISMATCH",
    });
    expect(await refused(request, [{ ...substitute, substituteItemId: someId }])).toMatchObject({
      field: "lines[0].substituteItemId",
    });
  });

  it("a nurse or an administrator: FORBIDDEN", async () => {
    const request = await requestIn([{ itemId: dipirona, quantity: 2 }]);
    const full = [{ itemId: dipirona, quantity: 2, lots: goodLots(2) }];
    for (const account of [nurse, admin] as DemoAccount[]) {
      expect(await refused(request, full, account)).toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("a request that is not PREPARING, and a stale version: CONFLICT", async () => {
    const full = [{ itemId: dipirona, quantity: 2, lots: goodLots(2) }];
    const accepted = await requestIn([{ itemId: dipirona, quantity: 2 }], "ACCEPTED");
    expect(await refused(accepted, full, pharmacist)).toMatchObject({
      code: "CONFLICT",
      reason: "NOT_PREPARING",
      currentStatus: "ACCEPTED",
    });
    const preparing = await requestIn([{ itemId: dipirona, quantity: 2 }]);
    expect(await refused(preparing, full, pharmacist, { expectedVersion: preparing.version - 1 })).toMatchObject({
      code: "CONFLICT",
      reason: "STALE_VERSION",
      currentVersion: preparing.version,
    });
  });

  it("two picks racing on one version: one is recorded, the other is a CONFLICT", async () => {
    const request = await requestIn([{ itemId: dipirona, quantity: 2 }]);
    const input = (lotNumber: string) => ({
      requestId: request.id,
      expectedVersion: request.version,
      lines: [{ itemId: dipirona, quantity: 2, lots: [{ lotNumber, expiresAt: goodUntil, quantity: 2 }] }],
    });
    const answers = await Promise.all([tryPick(tech, input("RACE-A")), tryPick(pharmacist, input("RACE-B"))]);
    const winners = answers.filter((answer) => answer.data?.recordPick);
    expect(winners).toHaveLength(1);
    expect(answers.flatMap((answer) => answer.errors ?? []).map((error) => error.extensions?.reason)).toEqual([
      "STALE_VERSION",
    ]);
    const after = await view(request.id);
    expect(after.version).toBe(request.version + 1);
    expect(after.history.filter((entry) => entry.event === "PICK_RECORDED")).toHaveLength(1);
    expect(after.items).toEqual(winners[0]!.data!.recordPick.items);
  });
});
