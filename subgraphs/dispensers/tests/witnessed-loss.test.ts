/**
 * Losses of controlled medications at a cabinet need a second person (issue 16): adjustStock
 * through the gateway with and without a witness token, every refusal a coded error that
 * leaves the stock, the ledger and the consumed tokens as they were.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asGateway, createUser, login, type FreshUser } from "@asky/stack/testing";
import { adjustStock, inDays } from "./stock-fixtures.js";
import {
  actor,
  forgedToken,
  pharmacist,
  pool,
  refusal,
  stateOf,
  stockedSlot,
  usesOf,
  witnessToken,
  type Slot,
} from "./witness-fixtures.js";

let witness: FreshUser;
beforeAll(async () => {
  witness = await createUser("PHARMACIST");
});
afterAll(() => pool.end());

const loss = (slot: Slot, witnessToken?: string, extra: Record<string, unknown> = {}) =>
  pharmacist.call(adjustStock, {
    input: { dispenserId: slot.dispenserId, itemId: slot.itemId, delta: -2, reason: "DAMAGED", witnessToken, ...extra },
  });

const forbidden = (fault: string) => ({ code: "FORBIDDEN", reason: `WITNESS_TOKEN_${fault}`, field: "witnessToken" });

/** Every refusal changes nothing: the same quantity, ledger and consumed tokens as before. */
async function expectUnchanged(slot: Slot, attempt: () => Promise<unknown>): Promise<void> {
  const before = { state: await stateOf(slot), uses: await usesOf(witness.id) };
  await attempt();
  expect({ state: await stateOf(slot), uses: await usesOf(witness.id) }).toEqual(before);
}

describe("a loss of a controlled medication", () => {
  it("without a witness is refused, for each kind of loss", async () => {
    const slot = await stockedSlot();
    const required = { code: "BAD_USER_INPUT", reason: "WITNESS_REQUIRED", field: "witnessToken" };
    for (const extra of [
      { reason: "DAMAGED" },
      { reason: "EXPIRED" },
      { reason: "COUNT_CORRECTION" },
      { reason: "OTHER", note: "frasco quebrado na gaveta" },
    ]) {
      await expectUnchanged(slot, async () => expect(refusal(await loss(slot, undefined, extra))).toEqual(required));
    }
  });

  it("with a token for another item, cabinet or step is refused", async () => {
    const slot = await stockedSlot();
    const tokens = {
      item: await witnessToken(witness, { dispenserId: slot.dispenserId, itemId: randomUUID() }),
      cabinet: await witnessToken(witness, { dispenserId: randomUUID(), itemId: slot.itemId }),
      step: await witnessToken(witness, { requestId: randomUUID() }, "DISPATCH"),
    };
    await expectUnchanged(slot, async () => {
      expect(refusal(await loss(slot, tokens.item))).toEqual(forbidden("WRONG_SUBJECT"));
      expect(refusal(await loss(slot, tokens.cabinet))).toEqual(forbidden("WRONG_SUBJECT"));
      expect(refusal(await loss(slot, tokens.step))).toEqual(forbidden("WRONG_STEP"));
    });
  });

  it("with a valid token succeeds once and records the witness; the same token again is CONFLICT", async () => {
    const slot = await stockedSlot();
    const token = await witnessToken(witness, slot);
    const done = await loss(slot, token);
    expect(done.errors).toBeUndefined();
    const after = await stateOf(slot);
    expect(after.quantity).toBe(8);
    expect(after.ledger.at(-1)).toEqual({ reason: "DAMAGED", delta: -2, actor: actor.id, witness: witness.id });
    expect(after.ledger[0]).toMatchObject({ reason: "RESTOCK", witness: null });
    expect(await usesOf(witness.id)).toContainEqual({ step: "STOCK_LOSS", actor: actor.id });
    await expectUnchanged(slot, async () =>
      expect(refusal(await loss(slot, token))).toEqual({
        code: "CONFLICT",
        reason: "WITNESS_TOKEN_USED",
        field: "witnessToken",
      }),
    );
  });

  it("with a token whose witness is the actor, presented by another actor or expired is refused", async () => {
    const slot = await stockedSlot();
    const self = await forgedToken(actor, slot);
    const stale = await forgedToken({ id: witness.id, role: "PHARMACIST", ward: null }, slot, {
      nowMs: Date.now() - 5 * 60_000,
    });
    const issued = await witnessToken(witness, slot);
    const asWitness = asGateway(await login(witness.email, witness.password));
    await expectUnchanged(slot, async () => {
      expect(refusal(await loss(slot, self))).toEqual(forbidden("WITNESS_IS_ACTOR"));
      expect(refusal(await loss(slot, stale))).toEqual(forbidden("EXPIRED"));
      const input = { dispenserId: slot.dispenserId, itemId: slot.itemId, delta: -1, reason: "DAMAGED" };
      expect(refusal(await asWitness.call(adjustStock, { input: { ...input, witnessToken: issued } }))).toEqual(
        forbidden("WRONG_ACTOR"),
      );
    });
  });

  it("answers garbage, an access token or 10 KB of noise with a coded error", async () => {
    const slot = await stockedSlot();
    const accessToken = await pharmacist.token();
    await expectUnchanged(slot, async () => {
      expect(refusal(await loss(slot, "not.a.token"))).toEqual(forbidden("INVALID"));
      expect(refusal(await loss(slot, accessToken ?? ""))).toEqual(forbidden("INVALID"));
      expect(refusal(await loss(slot, "e".repeat(10_240)))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "witnessToken",
      });
    });
  });
});

describe("movements that need no witness", () => {
  it("dispensing a controlled medication and losing an uncontrolled one go through without a token", async () => {
    const controlled = await stockedSlot();
    const dispensed = await loss(controlled, undefined, { reason: "DISPENSED" });
    expect(dispensed.errors).toBeUndefined();
    const plain = await stockedSlot(null);
    expect((await loss(plain)).errors).toBeUndefined();
    expect((await stateOf(plain)).ledger.at(-1)).toMatchObject({ reason: "DAMAGED", witness: null });
  });

  it("refuse a token rather than drop it, and leave it unspent", async () => {
    const plain = await stockedSlot(null);
    const token = await witnessToken(witness, plain);
    const notNeeded = { code: "BAD_USER_INPUT", reason: "WITNESS_NOT_NEEDED", field: "witnessToken" };
    await expectUnchanged(plain, async () => {
      expect(refusal(await loss(plain, token))).toEqual(notNeeded);
      const restock = { delta: 1, reason: "RESTOCK", lotNumber: "L-1", expiresAt: inDays(200) };
      expect(refusal(await loss(plain, token, restock))).toEqual(notNeeded);
    });
  });
});
