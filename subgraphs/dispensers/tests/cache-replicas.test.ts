/**
 * Hot reads are cached in each replica's memory; a change through one replica must reach
 * the others through the NATS invalidation message, long before the 30 s TTL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { adminPool, as, eventually, ok, startReplica, type Replica } from "./support.js";
import { freshCabinet, freshItem } from "./stock-fixtures.js";

let second: Replica;
const first = () => inject("subgraphUrls").dispensers;
const pool = adminPool();

beforeAll(async () => {
  second = await startReplica();
});
afterAll(async () => {
  await second?.stop();
  await pool.end();
});

const readCabinet = `query($id: ID!) { dispenser(id: $id) { name status qrCode { payload } } }`;
const readItem = `query($id: ID!) { material(id: $id) { name unitCost } }`;

/** Answers within this bound prove the invalidation message, not the TTL, refreshed the cache. */
const WELL_BEFORE_TTL_MS = 3_000;

describe("read cache across replicas", () => {
  it("serves a dispenser changed through another replica", async () => {
    const cabinet = await freshCabinet();
    const before = await ok<{ dispenser: { name: string } }>(
      as.admin,
      readCabinet,
      { id: cabinet.id },
      { url: second.url },
    );
    expect(before.dispenser.name).toBe(`Cabinet ${cabinet.code}`);

    // Control: a change behind the service's back (no invalidation) is not seen, so the
    // second replica really answers from its cache.
    await pool.query(`update dispensers.dispensers set name = 'Behind its back' where id = $1`, [cabinet.id]);
    const cached = await ok<{ dispenser: { name: string } }>(
      as.admin,
      readCabinet,
      { id: cabinet.id },
      { url: second.url },
    );
    expect(cached.dispenser.name).toBe(`Cabinet ${cabinet.code}`);

    await ok(
      as.admin,
      `mutation($id: ID!) { updateDispenser(id: $id, input: { name: "Renamed", status: OFFLINE }) { id } }`,
      { id: cabinet.id },
      {
        url: first(),
      },
    );
    const started = Date.now();
    await eventually(
      async () => {
        const { dispenser } = await ok<{ dispenser: { name: string; status: string } }>(
          as.admin,
          readCabinet,
          { id: cabinet.id },
          { url: second.url },
        );
        return dispenser.name === "Renamed" && dispenser.status === "OFFLINE";
      },
      WELL_BEFORE_TTL_MS,
      "the second replica to see the rename",
    );
    expect(Date.now() - started).toBeLessThan(WELL_BEFORE_TTL_MS);
  });

  it("serves a catalog item and a rotated label changed through another replica", async () => {
    const itemId = await freshItem();
    const cabinet = await freshCabinet();
    await ok(as.nurse, readItem, { id: itemId }, { url: second.url });
    const label = await ok<{ dispenser: { qrCode: { payload: string } } }>(
      as.admin,
      readCabinet,
      { id: cabinet.id },
      { url: second.url },
    );

    await ok(
      as.pharmacist,
      `mutation($id: ID!) { updateMaterial(id: $id, input: { unitCost: 7.25 }) { id } }`,
      { id: itemId },
      { url: first() },
    );
    const rotated = await ok<{ rotateDispenserQr: { qrCode: { payload: string } } }>(
      as.admin,
      `mutation($id: ID!) { rotateDispenserQr(id: $id) { qrCode { payload } } }`,
      { id: cabinet.id },
      { url: first() },
    );
    expect(rotated.rotateDispenserQr.qrCode.payload).not.toBe(label.dispenser.qrCode.payload);

    await eventually(
      async () => {
        const { material } = await ok<{ material: { unitCost: number } }>(
          as.nurse,
          readItem,
          { id: itemId },
          { url: second.url },
        );
        return material.unitCost === 7.25;
      },
      WELL_BEFORE_TTL_MS,
      "the new price on the second replica",
    );
    await eventually(
      async () => {
        const { dispenser } = await ok<{ dispenser: { qrCode: { payload: string } } }>(
          as.admin,
          readCabinet,
          { id: cabinet.id },
          { url: second.url },
        );
        return dispenser.qrCode.payload === rotated.rotateDispenserQr.qrCode.payload;
      },
      WELL_BEFORE_TTL_MS,
      "the new label on the second replica",
    );
  });
});
