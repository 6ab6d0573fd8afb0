/**
 * Deterministic stock plan of each demo dispenser: which items it stocks, par/min levels,
 * quantities and lots. Pure data (no clock, no database), shared by the dispensers seed (which
 * inserts it) and the requests seed (which opens RESTOCK requests for the low levels).
 */
import { catalog, type SeedCatalogItem } from "./catalog.js";
import { createRng, type Rng } from "./random.js";

export interface PlannedLot {
  lotNumber: string;
  /** Days from the seeding date; negative = already expired. */
  expiresInDays: number;
  /** Units left in the cabinet (0 = fully used, no lot row is kept). */
  quantity: number;
  /** Units of this lot dispensed since it was loaded. */
  dispensed: number;
  /** When the lot was loaded, days before the seeding date. */
  loadedDaysAgo: number;
}

export interface PlannedStockLevel {
  item: SeedCatalogItem;
  parLevel: number;
  minLevel: number;
  quantity: number;
  low: boolean;
  lots: PlannedLot[];
}

/** Clinical areas each ward draws most of its cabinet stock from. */
const wardAreas: Record<string, readonly string[]> = {
  "UTI-ADULTO": ["Terapia intensiva", "Emergência", "Analgesia", "Infectologia", "Cardiologia", "Anestesiologia"],
  "UTI-NEONATAL": ["Neonatologia", "Pediatria", "Infectologia", "Terapia intensiva"],
  PEDIATRIA: ["Pediatria", "Analgesia", "Infectologia", "Clínica médica"],
  "CENTRO-CIRURGICO": ["Anestesiologia", "Analgesia", "Clínica cirúrgica", "Emergência"],
  "PRONTO-SOCORRO": ["Emergência", "Analgesia", "Cardiologia", "Neurologia", "Clínica médica"],
  "CLINICA-MEDICA": ["Clínica médica", "Endocrinologia", "Cardiologia", "Infectologia", "Analgesia", "Psiquiatria"],
  "CLINICA-CIRURGICA": ["Clínica cirúrgica", "Analgesia", "Infectologia", "Clínica médica"],
  ONCOLOGIA: ["Oncologia", "Analgesia", "Infectologia", "Clínica médica"],
};

/** Par level range by dispensing unit. */
function parRange(unit: string): [number, number] {
  switch (unit) {
    case "comprimido":
    case "cápsula":
      return [30, 100];
    case "ampola":
      return [10, 40];
    case "frasco-ampola":
    case "frasco":
      return [6, 20];
    case "bolsa":
      return [4, 12];
    case "unidade":
      return [20, 100];
    case "par":
      return [20, 50];
    default:
      return [4, 15];
  }
}

function weightedSample(
  rng: Rng,
  items: readonly SeedCatalogItem[],
  count: number,
  weight: (i: SeedCatalogItem) => number,
) {
  const pool = [...items];
  const chosen: SeedCatalogItem[] = [];
  while (chosen.length < count && pool.length > 0) {
    const picked = rng.weighted(pool.map((item) => [item, weight(item)] as const));
    chosen.push(picked);
    pool.splice(pool.indexOf(picked), 1);
  }
  return chosen;
}

const LOT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXZ";

function planLots(rng: Rng, quantity: number, parLevel: number): PlannedLot[] {
  const usedNumbers = new Set<string>();
  const lotNumber = () => {
    for (;;) {
      const n = `${rng.pick(["L", "LT", "LOT"])}${rng.int(24, 26)}${rng.pick([...LOT_LETTERS])}${String(rng.int(1, 9999)).padStart(4, "0")}`;
      if (!usedNumbers.has(n)) {
        usedNumbers.add(n);
        return n;
      }
    }
  };
  const expiry = () =>
    rng.weighted<() => number>([
      [() => -rng.int(1, 45), 8], // expired, still in the drawer
      [() => rng.int(1, 30), 14], // expiring within 30 days
      [() => rng.int(45, 720), 78],
    ])();

  if (quantity === 0) {
    // Emptied cabinet pocket: one lot loaded and fully dispensed.
    const loaded = Math.max(1, Math.round(parLevel * 0.8));
    return [
      {
        lotNumber: lotNumber(),
        expiresInDays: expiry(),
        quantity: 0,
        dispensed: loaded,
        loadedDaysAgo: rng.int(10, 30),
      },
    ];
  }
  const lotCount =
    quantity < 6
      ? 1
      : rng.weighted([
          [1, 45],
          [2, 40],
          [3, 15],
        ] as const);
  // Random partition of quantity into lotCount positive parts.
  const cuts = new Set<number>();
  while (cuts.size < lotCount - 1) cuts.add(rng.int(1, quantity - 1));
  const bounds = [0, ...[...cuts].sort((a, b) => a - b), quantity];
  const lots: PlannedLot[] = [];
  for (let i = 0; i < lotCount; i++) {
    const q = bounds[i + 1]! - bounds[i]!;
    lots.push({
      lotNumber: lotNumber(),
      expiresInDays: expiry(),
      quantity: q,
      dispensed: rng.chance(0.6) ? rng.int(1, Math.max(1, Math.round(parLevel / 3))) : 0,
      loadedDaysAgo: rng.int(2, 40),
    });
  }
  return lots;
}

const cache = new Map<string, PlannedStockLevel[]>();

/** The stock of one dispenser (about 25 items), stable across runs and machines. */
export function stockPlan(dispenserCode: string, ward: string): PlannedStockLevel[] {
  const key = `${dispenserCode}|${ward}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const rng = createRng(`stock:${dispenserCode}`);
  const areas = new Set(wardAreas[ward] ?? []);
  const meds = catalog.filter((i) => i.kind === "MEDICATION");
  const mats = catalog.filter((i) => i.kind === "MATERIAL");
  const items = [
    ...weightedSample(rng, meds, rng.int(17, 20), (i) => (i.area && areas.has(i.area) ? 6 : 1)),
    ...weightedSample(rng, mats, rng.int(5, 8), () => 1),
  ];

  const levels = items.map((item): PlannedStockLevel => {
    const [lo, hi] = parRange(item.unit);
    let parLevel = rng.int(lo, hi);
    if (parLevel > 10) parLevel = Math.round(parLevel / 5) * 5;
    const minLevel = Math.max(1, Math.round(parLevel * (0.2 + rng.next() * 0.15)));
    const state = rng.weighted([
      ["ok", 82],
      ["low", 12],
      ["empty", 6],
    ] as const);
    const quantity =
      state === "empty"
        ? 0
        : state === "low"
          ? rng.int(Math.max(0, minLevel - Math.ceil(minLevel / 2)), minLevel - 1)
          : rng.int(minLevel, parLevel);
    return { item, parLevel, minLevel, quantity, low: quantity < minLevel, lots: planLots(rng, quantity, parLevel) };
  });
  cache.set(key, levels);
  return levels;
}
