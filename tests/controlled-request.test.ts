/**
 * Issue 16's acceptance, through the real gateway: a request carrying a controlled medication
 * is picked in lots with a line short, verified by a second pharmacist (never the picker),
 * dispatched and received only with a witness each (single use), and its BACKORDER line opens
 * exactly one new request; a request of nothing controlled skips VERIFIED and takes no witness.
 * Every refusal is a coded error that leaves version and history as they were.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, DEMO_PASSWORD, asGateway, login, type FreshUser, type GraphQLClient } from "@asky/stack/testing";
import {
  cabinet,
  CHANGE,
  dipirona,
  idOf,
  lot,
  morphine,
  move,
  nurse,
  PICK,
  picker,
  RECEIVE,
  refused,
  tech,
  view,
  witnessToken,
} from "./support/custody-api.js";

describe("a controlled MEDICATION request (issue 16)", () => {
  let verifier: GraphQLClient;
  let verifierUser: FreshUser;
  let wardWitness: FreshUser;
  let id: string;

  beforeAll(async () => {
    verifierUser = await createUser("PHARMACIST");
    verifier = asGateway({ accessToken: (await login(verifierUser.email, verifierUser.password)).accessToken });
    wardWitness = await createUser("NURSE");
    const input = {
      kind: "MEDICATION",
      priority: "URGENT",
      dispenserId: cabinet,
      items: [
        { itemId: morphine, quantity: 10 },
        { itemId: dipirona, quantity: 6 },
      ],
    };
    id = (
      await nurse.ok<{ createRequest: { id: string } }>(
        `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`,
        { input },
      )
    ).createRequest.id;
    await move(tech, id, "ACCEPTED");
    await move(tech, id, "PREPARING");
  });

  it("freezes each line's control flag at creation", async () => {
    const flags = Object.fromEntries((await view(id)).items.map((line) => [line.item.id, line.controlled]));
    expect(flags).toEqual({ [morphine]: true, [dipirona]: false });
  });

  it("is verified only after a pick, by a pharmacist who did not record it", async () => {
    const verify = (who: GraphQLClient) => (version: number) =>
      who.call(CHANGE, { input: { requestId: id, status: "VERIFIED", expectedVersion: version } });
    await refused(id, verify(verifier), { code: "CONFLICT", reason: "PICK_INCOMPLETE" });
    // Skipping VERIFIED is not for a request carrying a controlled item.
    await refused(
      id,
      (version) => tech.call(CHANGE, { input: { requestId: id, status: "DISPATCHED", expectedVersion: version } }),
      {
        code: "CONFLICT",
        reason: "VERIFICATION_REQUIRED",
      },
    );

    const { version } = await view(id);
    const lines = [
      { itemId: morphine, quantity: 10, lots: [lot("MORF-A", 6), lot("MORF-B", 4)] },
      { itemId: dipirona, quantity: 4, reasonCode: "BACKORDER", lots: [lot("DIP-1", 4)] },
    ];
    await picker.ok(PICK, { input: { requestId: id, expectedVersion: version, lines } });

    await refused(id, verify(picker), { code: "FORBIDDEN", reason: "VERIFIER_IS_PICKER" });
    await refused(id, verify(tech), { code: "FORBIDDEN" });
    await refused(id, verify(nurse), { code: "FORBIDDEN" });
    await move(verifier, id, "VERIFIED");
    expect((await view(id)).status).toBe("VERIFIED");
  });

  it("is dispatched with a witness only, whose token serves once", async () => {
    const dispatch = (extra: Record<string, unknown>) => (version: number) =>
      tech.call(CHANGE, { input: { requestId: id, status: "DISPATCHED", expectedVersion: version, ...extra } });
    await refused(id, dispatch({}), { code: "BAD_USER_INPUT", reason: "WITNESS_REQUIRED" });
    await refused(id, dispatch({ witnessToken: "not.a.token" }), {
      code: "FORBIDDEN",
      reason: "WITNESS_TOKEN_INVALID",
    });
    // A token of another step does not do.
    const receiptToken = await witnessToken(
      tech,
      { email: "pharmacist@asky.dev", password: DEMO_PASSWORD },
      id,
      "RECEIPT",
    );
    await refused(id, dispatch({ witnessToken: receiptToken }), {
      code: "FORBIDDEN",
      reason: "WITNESS_TOKEN_WRONG_STEP",
    });

    const token = await witnessToken(tech, { email: "pharmacist@asky.dev", password: DEMO_PASSWORD }, id, "DISPATCH");
    await move(tech, id, "DISPATCHED", { witnessToken: token });
    await refused(id, dispatch({ witnessToken: token }), { code: "CONFLICT", reason: "WITNESS_TOKEN_USED" });

    const dispatched = await view(id);
    expect(dispatched.status).toBe("DISPATCHED");
    expect(dispatched.history.at(-1)).toMatchObject({
      to: "DISPATCHED",
      by: { id: idOf("tech@asky.dev") },
      witness: { id: idOf("pharmacist@asky.dev") },
    });
  });

  it("opened exactly one new PENDING request for the BACKORDER line's remainder", async () => {
    const request = await view(id);
    expect(request.backorders).toHaveLength(1);
    const [backorder] = request.backorders;
    expect(backorder).toMatchObject({
      kind: "MEDICATION",
      priority: "URGENT",
      ward: "UTI-ADULTO",
      status: "PENDING",
      version: 1,
      requester: { id: idOf("nurse@asky.dev") },
      dispenser: { id: cabinet },
      backorderOf: { id },
    });
    expect(backorder!.items.map((line) => [line.item.id, line.status, line.controlled])).toEqual([
      [dipirona, "OPEN", false],
    ]);
    const asked = await picker.ok<{ request: { items: { quantityRequested: number }[] } }>(
      `query($id: ID!) { request(id: $id) { items { quantityRequested } } }`,
      { id: backorder!.id },
    );
    expect(asked.request.items).toEqual([{ quantityRequested: 2 }]);
    expect(backorder!.history).toMatchObject([{ from: null, to: "PENDING", by: { id: idOf("tech@asky.dev") } }]);
  });

  it("is received by the ward's nurse with a witness, short lines with a note", async () => {
    const receive = (extra: Record<string, unknown>) => (version: number) =>
      nurse.call(RECEIVE, { input: { requestId: id, expectedVersion: version, ...extra } });
    const short = [{ itemId: dipirona, quantityReceived: 3, note: "Um comprimido chegou quebrado." }];
    await refused(id, receive({ lines: short }), { code: "BAD_USER_INPUT", reason: "WITNESS_REQUIRED" });
    // Plain changeRequestStatus to DELIVERED is a receipt in full: a witness all the same.
    await refused(
      id,
      (version) => nurse.call(CHANGE, { input: { requestId: id, status: "DELIVERED", expectedVersion: version } }),
      {
        code: "BAD_USER_INPUT",
        reason: "WITNESS_REQUIRED",
      },
    );
    await refused(id, receive({ lines: [{ itemId: dipirona, quantityReceived: 3 }] }), { code: "BAD_USER_INPUT" });
    await refused(id, receive({ lines: [{ itemId: dipirona, quantityReceived: 5, note: "a mais" }] }), {
      code: "BAD_USER_INPUT",
    });

    const token = await witnessToken(nurse, wardWitness, id, "RECEIPT");
    const { version } = await view(id);
    await nurse.ok(RECEIVE, { input: { requestId: id, expectedVersion: version, lines: short, witnessToken: token } });

    const received = await view(id);
    expect(received.status).toBe("DELIVERED");
    const lines = Object.fromEntries(received.items.map((line) => [line.item.id, line]));
    expect(lines[morphine]).toMatchObject({
      status: "DELIVERED",
      quantityDispatched: 10,
      quantityReceived: 10,
      receiptNote: null,
    });
    expect(lines[morphine]!.lots).toEqual([
      { lotNumber: "MORF-A", quantity: 6 },
      { lotNumber: "MORF-B", quantity: 4 },
    ]);
    expect(lines[dipirona]).toMatchObject({
      status: "DELIVERED",
      quantityDispatched: 4,
      quantityReceived: 3,
      receiptNote: short[0]!.note,
    });
  });

  it("keeps in its history who did each step and who witnessed it", async () => {
    const steps = (await view(id)).history.map((entry) => [
      entry.event,
      entry.to,
      entry.by.id,
      entry.witness?.id ?? null,
    ]);
    expect(steps).toEqual([
      ["STATUS_CHANGED", "PENDING", idOf("nurse@asky.dev"), null],
      ["STATUS_CHANGED", "ACCEPTED", idOf("tech@asky.dev"), null],
      ["STATUS_CHANGED", "PREPARING", idOf("tech@asky.dev"), null],
      ["PICK_RECORDED", "PREPARING", idOf("pharmacist@asky.dev"), null],
      ["STATUS_CHANGED", "VERIFIED", verifierUser.id, null],
      ["STATUS_CHANGED", "DISPATCHED", idOf("tech@asky.dev"), idOf("pharmacist@asky.dev")],
      ["STATUS_CHANGED", "DELIVERED", idOf("nurse@asky.dev"), wardWitness.id],
    ]);
  });
});

describe("a request of nothing controlled", () => {
  it("skips VERIFIED and takes no witness", async () => {
    const input = { kind: "MEDICATION", dispenserId: cabinet, items: [{ itemId: dipirona, quantity: 2 }] };
    const { id } = (
      await nurse.ok<{ createRequest: { id: string } }>(
        `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`,
        { input },
      )
    ).createRequest;
    await move(tech, id, "ACCEPTED");
    await move(tech, id, "PREPARING");
    const token = await witnessToken(tech, { email: "pharmacist@asky.dev", password: DEMO_PASSWORD }, id, "DISPATCH");
    await refused(
      id,
      (version) =>
        tech.call(CHANGE, {
          input: { requestId: id, status: "DISPATCHED", expectedVersion: version, witnessToken: token },
        }),
      {
        code: "BAD_USER_INPUT",
        reason: "WITNESS_NOT_NEEDED",
      },
    );
    await move(tech, id, "DISPATCHED");
    await move(nurse, id, "DELIVERED");
    const delivered = await view(id);
    expect(delivered.status).toBe("DELIVERED");
    expect(delivered.items.map((line) => [line.status, line.quantityDispatched, line.quantityReceived])).toEqual([
      ["DELIVERED", 2, 2],
    ]);
    expect(delivered.history.map((entry) => entry.witness)).toEqual([null, null, null, null, null]);
    expect(delivered.backorders).toEqual([]);
  });
});
