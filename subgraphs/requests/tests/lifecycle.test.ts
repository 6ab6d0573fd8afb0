import { afterAll, describe, expect, it } from "vitest";
import {
  adminPool,
  change,
  codeOf,
  create,
  idOf,
  medicationRequest,
  nurse,
  pedsNurse,
  pharmacist,
  read,
  tech,
  admin,
  tryChange,
  utiCabinet,
  syringe,
  type RequestView,
} from "./support.js";
import type { DemoAccount } from "@asky/stack/testing";

const pool = adminPool();
afterAll(() => pool.end());

async function historyRows(requestId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from requests.request_history where request_id = $1`,
    [requestId],
  );
  return rows[0]!.n;
}

/** Walks a fresh request to `status` along the happy path (or the refusal paths). */
async function requestIn(status: string): Promise<RequestView> {
  let request = await medicationRequest();
  const step = async (account: DemoAccount, to: string, extra: Record<string, unknown> = {}) => {
    request = await change(account, { requestId: request.id, status: to, expectedVersion: request.version, ...extra });
  };
  switch (status) {
    case "PENDING":
      break;
    case "REJECTED":
      await step(pharmacist, "REJECTED", { reasonCode: "OUT_OF_STOCK" });
      break;
    case "CANCELLED":
      await step(nurse, "CANCELLED", { reasonCode: "CANCELED_BY_REQUESTER" });
      break;
    default:
      for (const to of ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]) {
        await step(tech, to);
        if (to === status) break;
      }
  }
  expect(request.status).toBe(status);
  return request;
}

describe("request lifecycle", () => {
  it("goes PENDING → ACCEPTED → PREPARING → DISPATCHED → DELIVERED by the right people", async () => {
    const created = await medicationRequest({ note: "Leito 4" });
    expect(created).toMatchObject({ status: "PENDING", version: 1, assignee: null, requester: { id: idOf(nurse) } });
    expect(created.history).toEqual([
      { from: null, to: "PENDING", by: { id: idOf(nurse) }, reasonCode: null, reason: null },
    ]);

    const accepted = await change(pharmacist, { requestId: created.id, status: "ACCEPTED", expectedVersion: 1 });
    expect(accepted).toMatchObject({ status: "ACCEPTED", version: 2, assignee: { id: idOf(pharmacist) } });
    const preparing = await change(tech, { requestId: created.id, status: "PREPARING", expectedVersion: 2 });
    const dispatched = await change(tech, {
      requestId: created.id,
      status: "DISPATCHED",
      expectedVersion: 3,
      note: "Saiu com o mensageiro",
    });
    expect([preparing.version, dispatched.version]).toEqual([3, 4]);
    // Accepting assigned the pharmacist; later steps by the technician do not take it over.
    expect(dispatched.assignee).toEqual({ id: idOf(pharmacist) });

    const delivered = await change(nurse, { requestId: created.id, status: "DELIVERED", expectedVersion: 4 });
    expect(delivered).toMatchObject({ status: "DELIVERED", version: 5 });
    expect(delivered.history.map((entry) => [entry.from, entry.to, entry.by.id])).toEqual([
      [null, "PENDING", idOf(nurse)],
      ["PENDING", "ACCEPTED", idOf(pharmacist)],
      ["ACCEPTED", "PREPARING", idOf(tech)],
      ["PREPARING", "DISPATCHED", idOf(tech)],
      ["DISPATCHED", "DELIVERED", idOf(nurse)],
    ]);
    expect(delivered.history[3]!.reason).toBe("Saiu com o mensageiro");
  });

  it("lets the pharmacy reject a pending request with a reason, and the requester or an admin cancel", async () => {
    const rejected = await requestIn("REJECTED");
    expect(rejected).toMatchObject({ reasonCode: "OUT_OF_STOCK", reason: null });

    const byAdmin = await medicationRequest();
    const accepted = await change(pharmacist, { requestId: byAdmin.id, status: "ACCEPTED", expectedVersion: 1 });
    const cancelled = await change(admin, {
      requestId: byAdmin.id,
      status: "CANCELLED",
      expectedVersion: accepted.version,
      reasonCode: "OTHER",
      reason: "Paciente transferido",
    });
    expect(cancelled).toMatchObject({ status: "CANCELLED", reasonCode: "OTHER", reason: "Paciente transferido" });
    expect(cancelled.history.at(-1)).toMatchObject({
      from: "ACCEPTED",
      to: "CANCELLED",
      by: { id: idOf(admin) },
      reasonCode: "OTHER",
    });

    const mine = await requestIn("CANCELLED");
    expect(mine.history.at(-1)).toMatchObject({ by: { id: idOf(nurse) }, reasonCode: "CANCELED_BY_REQUESTER" });
  });

  it("requires a reason to reject or cancel, and text with OTHER", async () => {
    const request = await medicationRequest();
    const cases = [
      { status: "REJECTED" },
      { status: "CANCELLED" },
      { status: "REJECTED", reasonCode: "OTHER" },
      { status: "ACCEPTED", reasonCode: "OUT_OF_STOCK" },
      { status: "REJECTED", reason: "x", note: "y" },
      { status: "REJECTED", reason: "x".repeat(1001) },
    ];
    for (const input of cases) {
      const body = await tryChange(pharmacist, { requestId: request.id, expectedVersion: 1, ...input });
      expect(codeOf(body), JSON.stringify(input)).toBe("BAD_USER_INPUT");
    }
    expect((await read(pharmacist, request.id))!.version).toBe(1);
  });

  // Every status × every target the lifecycle does not allow: CONFLICT, and nothing changes.
  const statuses = ["PENDING", "ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED", "REJECTED", "CANCELLED"];
  const legal = new Set([
    "PENDING>ACCEPTED",
    "ACCEPTED>PREPARING",
    "PREPARING>DISPATCHED",
    "DISPATCHED>DELIVERED",
    "PENDING>REJECTED",
    "PENDING>CANCELLED",
    "ACCEPTED>CANCELLED",
  ]);

  it.each(statuses)("refuses every illegal move out of %s with CONFLICT, changing nothing", async (from) => {
    const request = await requestIn(from);
    const historyBefore = await historyRows(request.id);
    for (const to of statuses.filter((target) => !legal.has(`${from}>${target}`))) {
      const needsReason = to === "REJECTED" || to === "CANCELLED";
      // ADMIN and the pharmacist together cover every party; the move itself is what is wrong.
      for (const account of [pharmacist, admin] as const) {
        const body = await tryChange(account, {
          requestId: request.id,
          status: to,
          expectedVersion: request.version,
          ...(needsReason ? { reasonCode: "DUPLICATE_REQUEST" } : {}),
        });
        expect(codeOf(body), `${from} → ${to} by ${account}`).toBe("CONFLICT");
        expect(body.errors![0]!.extensions).toMatchObject({
          reason: "ILLEGAL_TRANSITION",
          currentStatus: from,
          currentVersion: request.version,
        });
      }
    }
    const after = await read(pharmacist, request.id);
    expect(after).toMatchObject({ status: from, version: request.version });
    expect(await historyRows(request.id)).toBe(historyBefore);
  });

  // Each legal move, tried by everyone who may not make it: FORBIDDEN, and nothing changes.
  const forbidden: [from: string, to: string, accounts: DemoAccount[]][] = [
    ["PENDING", "ACCEPTED", [nurse, admin]],
    ["ACCEPTED", "PREPARING", [nurse, admin]],
    ["PREPARING", "DISPATCHED", [nurse, admin]],
    ["DISPATCHED", "DELIVERED", [admin]],
    ["PENDING", "REJECTED", [nurse, admin]],
    ["PENDING", "CANCELLED", [pharmacist, tech]],
    ["ACCEPTED", "CANCELLED", [pharmacist, tech]],
  ];

  it.each(forbidden)(
    "refuses %s → %s to the wrong roles with FORBIDDEN, changing nothing",
    async (from, to, accounts) => {
      const request = await requestIn(from);
      const historyBefore = await historyRows(request.id);
      for (const account of accounts) {
        const needsReason = to === "REJECTED" || to === "CANCELLED";
        const body = await tryChange(account, {
          requestId: request.id,
          status: to,
          expectedVersion: request.version,
          ...(needsReason ? { reasonCode: "DUPLICATE_REQUEST" } : {}),
        });
        expect(codeOf(body), `${from} → ${to} by ${account}`).toBe("FORBIDDEN");
      }
      expect(await read(pharmacist, request.id)).toMatchObject({ status: from, version: request.version });
      expect(await historyRows(request.id)).toBe(historyBefore);
    },
  );

  it("hides another ward's request from a nurse (NOT_FOUND) and lets only the ward's nurse confirm delivery", async () => {
    const request = await requestIn("DISPATCHED");
    const body = await tryChange(pedsNurse, {
      requestId: request.id,
      status: "DELIVERED",
      expectedVersion: request.version,
    });
    expect(codeOf(body)).toBe("NOT_FOUND");
    expect(await read(pharmacist, request.id)).toMatchObject({ status: "DISPATCHED", version: request.version });
    // The pharmacy may confirm too (it delivered it itself).
    expect(
      (await change(pharmacist, { requestId: request.id, status: "DELIVERED", expectedVersion: request.version }))
        .status,
    ).toBe("DELIVERED");
  });

  it("answers a stale expectedVersion with CONFLICT carrying the current version", async () => {
    const request = await medicationRequest();
    await change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 });
    const body = await tryChange(tech, { requestId: request.id, status: "PREPARING", expectedVersion: 1 });
    expect(codeOf(body)).toBe("CONFLICT");
    expect(body.errors![0]!.extensions).toMatchObject({
      reason: "STALE_VERSION",
      currentVersion: 2,
      currentStatus: "ACCEPTED",
    });
    expect(await historyRows(request.id)).toBe(2);
  });

  it("lets exactly one of 20 concurrent conflicting changes win, with exactly one new history row", async () => {
    const request = await create(nurse, {
      kind: "MATERIAL",
      dispenserId: utiCabinet,
      items: [{ itemId: syringe, quantity: 5 }],
    });
    const attempts = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? tryChange(i % 4 === 0 ? pharmacist : tech, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 })
        : tryChange(pharmacist, {
            requestId: request.id,
            status: "REJECTED",
            expectedVersion: 1,
            reasonCode: "OUT_OF_STOCK",
          }),
    );
    const results = await Promise.all(attempts);
    const winners = results.filter((body) => !body.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((body) => codeOf(body) === "CONFLICT")).toHaveLength(19);
    const after = await read(pharmacist, request.id);
    expect(after!.version).toBe(2);
    expect(after!.status).toBe(winners[0]!.data!.changeRequestStatus.status);
    expect(await historyRows(request.id)).toBe(2);
  });
});
