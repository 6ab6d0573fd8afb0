/**
 * The custody rules of controlled requests beyond the acceptance path (issue 16): a line whose
 * control flag was never recorded is resolved from the catalog; a witness token bound to
 * another request does not do; two dispatches racing with one token spend it once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { custodyView, lots, morphine, move, pickedRequest, refused, tryMove, witnessToken } from "./custody-support.js";
import { pick } from "./pick-support.js";
import { adminPool, dipirona, idOf, nurse, pharmacist, tech } from "./support.js";

const pool = adminPool();
afterAll(() => pool.end());

/** What a line made before the flag was kept looks like. */
const forgetFlags = (id: string) =>
  pool.query("update requests.request_items set controlled = null, control_list = null where request_id = $1", [id]);

describe("controlled requests", () => {
  it("resolves a line of unknown control flag from the catalog", async () => {
    const controlled = await pickedRequest(
      [{ itemId: morphine, quantity: 2 }],
      [{ itemId: morphine, quantity: 2, lots: lots(2) }],
    );
    const plain = await pickedRequest(
      [{ itemId: dipirona, quantity: 2 }],
      [{ itemId: dipirona, quantity: 2, lots: lots(2) }],
    );
    await forgetFlags(controlled);
    await forgetFlags(plain);
    expect((await custodyView(controlled)).items.map((line) => line.controlled)).toEqual([null]);
    await refused(
      controlled,
      (version) => tryMove(tech, { requestId: controlled, status: "DISPATCHED", expectedVersion: version }),
      {
        code: "CONFLICT",
        reason: "VERIFICATION_REQUIRED",
      },
    );
    await move(tech, plain, "DISPATCHED");
  });

  it("refuses a witness token bound to another request", async () => {
    const id = await pickedRequest(
      [{ itemId: morphine, quantity: 2 }],
      [{ itemId: morphine, quantity: 2, lots: lots(2) }],
    );
    const other = await pickedRequest(
      [{ itemId: dipirona, quantity: 1 }],
      [{ itemId: dipirona, quantity: 1, lots: lots(1) }],
    );
    await move(pharmacist, id, "VERIFIED");
    const token = await witnessToken(tech, other, "DISPATCH");
    await refused(
      id,
      (version) =>
        tryMove(tech, { requestId: id, status: "DISPATCHED", expectedVersion: version, witnessToken: token }),
      {
        code: "FORBIDDEN",
        reason: "WITNESS_TOKEN_WRONG_SUBJECT",
      },
    );
  });

  it("spends one token once when two dispatches race with it", async () => {
    const id = await pickedRequest(
      [{ itemId: morphine, quantity: 2 }],
      [{ itemId: morphine, quantity: 2, lots: lots(2) }],
    );
    await move(pharmacist, id, "VERIFIED");
    const token = await witnessToken(tech, id, "DISPATCH");
    const { version } = await custodyView(id);
    const attempts = await Promise.all(
      [0, 1].map(() =>
        tryMove(tech, { requestId: id, status: "DISPATCHED", expectedVersion: version, witnessToken: token }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.errors === undefined)).toHaveLength(1);
    expect(attempts.flatMap((attempt) => attempt.errors ?? []).map((error) => error.extensions?.code)).toEqual([
      "CONFLICT",
    ]);
    const request = await custodyView(id);
    expect(request.history.filter((entry) => entry.to === "DISPATCHED")).toHaveLength(1);
    expect(request.history.at(-1)).toMatchObject({ to: "DISPATCHED", witness: { id: idOf(pharmacist) } });
  });

  it("sends a verified pick back to PREPARING for the pharmacy only, to be picked and verified again", async () => {
    const id = await pickedRequest(
      [{ itemId: morphine, quantity: 3 }],
      [{ itemId: morphine, quantity: 3, lots: lots(3) }],
    );
    await move(pharmacist, id, "VERIFIED");
    await refused(id, (version) => tryMove(nurse, { requestId: id, status: "PREPARING", expectedVersion: version }), {
      code: "FORBIDDEN",
    });
    await move(tech, id, "PREPARING");
    const { version } = await custodyView(id);
    await pick(pharmacist, {
      requestId: id,
      expectedVersion: version,
      lines: [{ itemId: morphine, quantity: 2, reasonCode: "DAMAGED", lots: lots(2) }],
    });
    // The new picker cannot verify the new pick; the technician's dispatch waits for it.
    await refused(
      id,
      (version) => tryMove(pharmacist, { requestId: id, status: "VERIFIED", expectedVersion: version }),
      {
        code: "FORBIDDEN",
        reason: "VERIFIER_IS_PICKER",
      },
    );
    await refused(id, (version) => tryMove(tech, { requestId: id, status: "DISPATCHED", expectedVersion: version }), {
      code: "CONFLICT",
      reason: "VERIFICATION_REQUIRED",
    });
    expect((await custodyView(id)).history.map((entry) => entry.to)).toEqual([
      "PENDING",
      "ACCEPTED",
      "PREPARING",
      "PREPARING",
      "VERIFIED",
      "PREPARING",
      "PREPARING",
    ]);
  });
});
