import { describe, expect, it } from "vitest";
import { CachedDispensersClient } from "../../src/clients/cached-dispensers-client.js";
import type { CatalogFacts, DispenserFacts, DispensersLookup } from "../../src/clients/dispensers-client.js";

const cabinet: DispenserFacts = { id: "d1", ward: "UTI-ADULTO", status: "ONLINE" };
const dipirona: CatalogFacts = {
  id: "m1",
  kind: "MEDICATION",
  unitCost: 0.35,
  controlList: null,
  therapeuticClass: null,
};
const syringe: CatalogFacts = { id: "s1", kind: "MATERIAL", unitCost: 0.9, controlList: null, therapeuticClass: null };

/** Stands in for the dispensers service: counts calls, answers from a table, can be held. */
function dispensersService() {
  const known = new Map<string, DispenserFacts | CatalogFacts>([
    [cabinet.id, cabinet],
    [dipirona.id, dipirona],
    [syringe.id, syringe],
  ]);
  const calls: { dispenserId: string | null; itemIds: readonly string[] }[] = [];
  let hold: Promise<void> | null = null;
  return {
    calls,
    known,
    holdNext(until: Promise<void>) {
      hold = until;
    },
    client: {
      async lookup(dispenserId: string | null, itemIds: readonly string[]): Promise<DispensersLookup> {
        calls.push({ dispenserId, itemIds });
        const waiting = hold;
        hold = null;
        // Answer as of now, deliver later: what a slow call that crosses an invalidation does.
        const dispenser = dispenserId ? ((known.get(dispenserId) as DispenserFacts | undefined) ?? null) : null;
        const items = new Map(
          itemIds.flatMap((id) =>
            known.has(id) && id !== cabinet.id ? [[id, known.get(id) as CatalogFacts] as const] : [],
          ),
        );
        if (waiting) await waiting;
        return { dispenser, items };
      },
      close() {},
    },
  };
}

describe("CachedDispensersClient", () => {
  it("answers a repeat from memory and asks again only for what it has not seen", async () => {
    const service = dispensersService();
    const cached = new CachedDispensersClient(service.client);
    const first = await cached.lookup("d1", ["m1"]);
    const again = await cached.lookup("d1", ["m1", "m1"]);
    expect(again).toEqual(first);
    expect(service.calls).toHaveLength(1);
    const wider = await cached.lookup("d1", ["m1", "s1"]);
    expect([...wider.items.keys()].sort()).toEqual(["m1", "s1"]);
    expect(service.calls).toHaveLength(2);
  });

  it("does not remember what does not exist", async () => {
    const service = dispensersService();
    const cached = new CachedDispensersClient(service.client);
    expect((await cached.lookup("nope", [])).dispenser).toBeNull();
    expect((await cached.lookup("d1", ["ghost"])).items.size).toBe(0);
    await cached.lookup("nope", []);
    await cached.lookup("d1", ["ghost"]);
    expect(service.calls).toHaveLength(4);
  });

  it("forgets a cabinet or item on a hint, and everything when hints may have been missed", async () => {
    const service = dispensersService();
    const cached = new CachedDispensersClient(service.client);
    await cached.lookup("d1", ["m1"]);
    service.known.set("d1", { ...cabinet, status: "OFFLINE" });
    cached.invalidate([{ kind: "dispenser", id: "d1" }]);
    expect((await cached.lookup("d1", ["m1"])).dispenser?.status).toBe("OFFLINE");
    expect(service.calls).toHaveLength(2);
    cached.invalidate([{ kind: "wards" }]);
    await cached.lookup("d1", ["m1"]);
    expect(service.calls).toHaveLength(2);
    cached.distrust();
    await cached.lookup("d1", ["m1"]);
    expect(service.calls).toHaveLength(3);
  });

  it("does not store an answer asked for before an invalidation that arrived while waiting", async () => {
    const service = dispensersService();
    const cached = new CachedDispensersClient(service.client);
    let release!: () => void;
    service.holdNext(new Promise((resolve) => (release = resolve)));
    const stale = cached.lookup("d1", ["m1"]);
    service.known.set("m1", { ...dipirona, unitCost: 0.5 });
    cached.invalidate([{ kind: "catalogItem", id: "m1" }]);
    release();
    expect((await stale).items.get("m1")?.unitCost).toBe(0.35);
    expect((await cached.lookup("d1", ["m1"])).items.get("m1")?.unitCost).toBe(0.5);
    expect(service.calls).toHaveLength(2);
  });
});
