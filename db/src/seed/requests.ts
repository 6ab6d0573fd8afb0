import { centsToDecimal } from "@asky/runtime";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import {
  requestHistory,
  requestItems,
  requests,
  type RequestKind,
  type RequestPriority,
  type RequestReasonCode,
  type RequestStatus,
} from "../schema/requests.js";
import { catalog, type SeedCatalogItem } from "./catalog.js";
import { dispensers } from "./data/wards.js";
import { dispenserId, requestId } from "./ids.js";
import { nursesOfWard, peopleWithRole, personByEmail, type SeedPerson } from "./people.js";
import { stockPlan } from "./plan.js";
import { seedRequestEvents } from "./request-events.js";
import { startSeededSlaClocks } from "./request-sla.js";
import { createRng, type Rng } from "./random.js";

type Db = NodePgDatabase<Record<string, never>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How many seeded requests end in each status (41 in all). */
const statusCounts: ReadonlyArray<readonly [RequestStatus, number]> = [
  ["PENDING", 8],
  ["ACCEPTED", 5],
  ["PREPARING", 4],
  ["VERIFIED", 1],
  ["DISPATCHED", 4],
  ["DELIVERED", 10],
  ["REJECTED", 4],
  ["CANCELLED", 5],
];

const activeStatuses = new Set<RequestStatus>(["PENDING", "ACCEPTED", "PREPARING", "VERIFIED", "DISPATCHED"]);

/**
 * How long after the pick a second pharmacist verified it. Fixed, drawing nothing from the
 * generator, so that the requests planned after a VERIFIED one stay as they were before it.
 */
const VERIFY_GAP = 4 * MINUTE;

interface Transition {
  from: RequestStatus | null;
  to: RequestStatus;
  at: Date;
  actor: SeedPerson;
  reasonCode?: RequestReasonCode;
  reasonText?: string;
}

interface PlannedItem {
  item: SeedCatalogItem;
  quantity: number;
}

export interface PlannedRequest {
  id: string;
  kind: RequestKind;
  priority: RequestPriority;
  status: RequestStatus;
  requester: SeedPerson;
  assignee: SeedPerson | null;
  dispenserCode: string;
  ward: string;
  note: string | null;
  items: PlannedItem[];
  totalCostCents: number;
  history: Transition[];
}

const medicationNotes = [
  "Prescrição nova, paciente do leito 4.",
  "Dose de resgate prescrita pelo plantonista.",
  "Item zerado no dispensário, paciente aguardando.",
  "Antibiótico de horário, 14 h.",
  "Paciente admitido agora, medicação da admissão.",
  null,
  null,
];
const materialNotes = [
  "Troca de curativo do leito 12.",
  "Passagem de acesso venoso central.",
  "Reposição para o carrinho de emergência.",
  null,
];
/** Each ASSISTANCE note with the reason a nurse would pick for it. */
const assistanceCases = [
  ["DRAWER_JAMMED", "Gaveta 3 não abre após a biometria."],
  ["DEVICE_OFFLINE", "Tela travada na conferência de estoque."],
  ["COUNT_DISCREPANCY", "Divergência de contagem no compartimento de midazolam."],
  ["OTHER", "Etiqueta de lote ilegível em um frasco-ampola."],
  ["OTHER", "Leitor de código de barras não reconhece as etiquetas."],
] as const;
const assistanceNotes = assistanceCases.map(([, note]) => note);
const rejectionReasons: Record<RequestKind, ReadonlyArray<readonly [RequestReasonCode, string]>> = {
  MEDICATION: [
    ["OUT_OF_STOCK", "Sem estoque na farmácia central; previsão de reposição em 48 h."],
    ["CLINICAL_JUDGMENT", "Dose acima da máxima recomendada; favor contatar o prescritor."],
    ["DUPLICATE_REQUEST", "Já dispensado para o mesmo paciente nesta manhã."],
  ],
  MATERIAL: [
    ["OUT_OF_STOCK", "Material em falta no almoxarifado; previsão de entrega amanhã."],
    ["OTHER", "Item não padronizado; solicitar via formulário de não padronizados."],
  ],
  ASSISTANCE: [
    ["DUPLICATE_REQUEST", "Chamado já aberto para este dispensário."],
    ["OTHER", "Encaminhado à engenharia clínica (chamado externo)."],
  ],
  RESTOCK: [
    ["OUT_OF_STOCK", "Farmácia central sem saldo para a reposição completa; nova reposição programada."],
    ["OTHER", "Reposição já incluída na rota programada do turno."],
  ],
};
const requesterCancelReasons: ReadonlyArray<readonly [RequestReasonCode, string]> = [
  ["CANCELED_BY_REQUESTER", "Paciente recebeu alta."],
  ["CANCELED_BY_REQUESTER", "Prescrição suspensa pelo médico."],
  ["DUPLICATE_REQUEST", "Solicitação aberta em duplicidade."],
];

function quantityFor(rng: Rng, item: SeedCatalogItem): number {
  switch (item.unit) {
    case "comprimido":
    case "cápsula":
      return rng.int(2, 20);
    case "ampola":
      return rng.int(1, 10);
    case "unidade":
      return item.kind === "MATERIAL" ? rng.int(2, 30) : rng.int(1, 5);
    case "par":
      return rng.int(5, 20);
    default:
      return rng.int(1, 4);
  }
}

/** Minutes between two steps, by urgency. */
function gap(rng: Rng, priority: RequestPriority): number {
  const ranges: Record<RequestPriority, readonly [number, number]> = {
    STAT: [1, 5],
    ASAP: [3, 12],
    URGENT: [5, 25],
    ROUTINE: [10, 90],
  };
  const [lo, hi] = ranges[priority];
  return rng.int(lo, hi) * MINUTE + rng.int(0, 59) * 1000;
}

/** The seeded requests, relative to `now`. Deterministic apart from the clock. */
export function planRequests(now: Date): PlannedRequest[] {
  const rng = createRng("requests");
  const pharmacists = peopleWithRole("PHARMACIST");
  const technicians = peopleWithRole("PHARMACY_TECHNICIAN");
  const admin = personByEmail("admin@asky.dev");
  const demoNurse = personByEmail("nurse@asky.dev");
  const demoPedsNurse = personByEmail("nurse.peds@asky.dev");
  const allNurses = peopleWithRole("NURSE");
  const meds = catalog.filter((i) => i.kind === "MEDICATION");
  const mats = catalog.filter((i) => i.kind === "MATERIAL");
  const dispensersOf = (ward: string) => dispensers.filter((d) => d.ward === ward);
  const onlineFirst = (list: typeof dispensers) => {
    const online = list.filter((d) => d.status === "ONLINE");
    return online.length > 0 ? online : list;
  };
  /** Dispensers that already have an open RESTOCK (one open RESTOCK per cabinet). */
  const openRestock = new Set<string>();

  const statuses = rng.shuffle(statusCounts.flatMap(([status, n]) => Array.from({ length: n }, () => status)));

  return statuses.map((status, index): PlannedRequest => {
    const active = activeStatuses.has(status);
    let kind = rng.weighted<RequestKind>([
      ["MEDICATION", 52],
      ["MATERIAL", 20],
      ["ASSISTANCE", 10],
      ["RESTOCK", 18],
    ]);
    let dispenser = rng.pick(onlineFirst(dispensers));
    if (kind === "RESTOCK") {
      const candidates = dispensers.filter(
        (d) =>
          d.status === "ONLINE" && !(active && openRestock.has(d.code)) && stockPlan(d.code, d.ward).some((l) => l.low),
      );
      if (candidates.length === 0) kind = "MEDICATION";
      else {
        dispenser = rng.pick(candidates);
        if (active) openRestock.add(dispenser.code);
      }
    }

    let requester: SeedPerson;
    if (kind === "RESTOCK") {
      requester = rng.pick(technicians);
    } else {
      requester = rng.weighted<SeedPerson>([
        [demoNurse, 35],
        [demoPedsNurse, 20],
        [rng.pick(allNurses), 45],
      ]);
      const ward = requester.ward ?? "UTI-ADULTO";
      const own = kind === "ASSISTANCE" ? dispensersOf(ward) : onlineFirst(dispensersOf(ward));
      if (own.length > 0) dispenser = rng.pick(own);
    }
    const ward = dispenser.ward;

    // Items.
    let items: PlannedItem[] = [];
    const plan = stockPlan(dispenser.code, ward);
    if (kind === "MEDICATION") {
      const cabinetMeds = plan.filter((l) => l.item.kind === "MEDICATION").map((l) => l.item);
      const pool = rng.chance(0.6) && cabinetMeds.length > 0 ? cabinetMeds : meds;
      items = rng
        .sample(
          pool,
          rng.weighted([
            [1, 55],
            [2, 30],
            [3, 15],
          ] as const),
        )
        .map((item) => ({ item, quantity: quantityFor(rng, item) }));
    } else if (kind === "MATERIAL") {
      items = rng.sample(mats, rng.int(1, 3)).map((item) => ({ item, quantity: quantityFor(rng, item) }));
    } else if (kind === "RESTOCK") {
      const low = plan.filter((l) => l.low);
      const levels = low.length > 0 && active ? low.slice(0, 6) : rng.sample(plan, rng.int(2, 5));
      items = levels.map((l) => ({
        item: l.item,
        quantity: Math.max(1, l.parLevel - (active ? l.quantity : l.minLevel)),
      }));
    }
    const totalCostCents = items.reduce((acc, i) => acc + i.quantity * i.item.unitCostCents, 0);

    const priority: RequestPriority =
      kind === "RESTOCK"
        ? rng.weighted<RequestPriority>([
            ["ROUTINE", 70],
            ["URGENT", 30],
          ])
        : kind === "ASSISTANCE"
          ? rng.weighted<RequestPriority>([
              ["URGENT", 60],
              ["ASAP", 40],
            ])
          : rng.weighted<RequestPriority>([
              ["ROUTINE", 45],
              ["URGENT", 25],
              ["ASAP", 18],
              ["STAT", 12],
            ]);

    const note =
      kind === "MEDICATION"
        ? rng.pick(medicationNotes)
        : kind === "MATERIAL"
          ? rng.pick(materialNotes)
          : kind === "ASSISTANCE"
            ? rng.pick(assistanceNotes)
            : `Reposição automática: itens abaixo do nível mínimo em ${dispenser.code}.`;

    // Path of statuses after creation.
    const path: RequestStatus[] =
      status === "VERIFIED"
        ? ["ACCEPTED", "PREPARING", "VERIFIED"]
        : status === "PENDING"
          ? []
          : status === "REJECTED"
            ? ["REJECTED"]
            : status === "CANCELLED"
              ? rng.chance(0.5)
                ? ["ACCEPTED", "CANCELLED"]
                : ["CANCELLED"]
              : (["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"] as const).slice(
                  0,
                  ["ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"].indexOf(status) + 1,
                );

    const gaps = path.map((to) => (to === "VERIFIED" ? VERIFY_GAP : gap(rng, priority)));
    const span = gaps.reduce((a, b) => a + b, 0);
    const age = active
      ? rng.int(2, 40) * MINUTE + rng.int(0, 59) * 1000
      : rng.int(1, 14) * DAY + rng.int(0, 10) * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;
    let at = new Date(now.getTime() - age - span);

    const controlled = items.some((i) => i.item.controlled);
    const acceptor =
      controlled || kind === "ASSISTANCE" ? rng.pick(pharmacists) : rng.pick([...pharmacists, ...technicians]);
    const preparer = acceptor.role === "PHARMACY_TECHNICIAN" ? acceptor : rng.pick(technicians);
    const wardNurses = nursesOfWard(ward);

    const history: Transition[] = [{ from: null, to: "PENDING", at, actor: requester }];
    let assignee: SeedPerson | null = null;
    let from: RequestStatus = "PENDING";
    for (const [i, to] of path.entries()) {
      at = new Date(at.getTime() + gaps[i]!);
      let actor: SeedPerson;
      let reason: readonly [RequestReasonCode, string] | undefined;
      switch (to) {
        case "ACCEPTED":
          actor = acceptor;
          assignee = acceptor;
          break;
        case "PREPARING":
        case "DISPATCHED":
          actor = preparer;
          break;
        case "DELIVERED":
          actor =
            kind === "RESTOCK" || wardNurses.length === 0
              ? preparer
              : rng.chance(0.7) && requester.role === "NURSE"
                ? requester
                : rng.pick(wardNurses);
          break;
        case "REJECTED":
          actor = rng.pick(pharmacists);
          reason = rng.pick(rejectionReasons[kind]);
          break;
        case "CANCELLED":
          if (rng.chance(0.75)) {
            actor = requester;
            reason = rng.pick(requesterCancelReasons);
          } else {
            actor = admin;
            reason = ["OTHER", "Dispensário em manutenção; solicitação reaberta em outro equipamento."];
          }
          break;
        case "VERIFIED":
          // A pharmacist checks the technician's pick (chosen without drawing, see VERIFY_GAP).
          actor = pharmacists.find((person) => person.id !== preparer.id) ?? acceptor;
          break;
        case "PENDING":
          // Every request starts PENDING; no path leads back to it.
          throw new Error(`unexpected status ${to}`);
      }
      history.push({
        from,
        to,
        at,
        actor,
        ...(reason ? { reasonCode: reason[0], reasonText: reason[1] } : {}),
      });
      from = to;
    }

    return {
      id: requestId(index),
      kind,
      priority,
      status,
      requester,
      assignee,
      dispenserCode: dispenser.code,
      ward,
      note,
      items,
      totalCostCents,
      history,
    };
  });
}

/**
 * A seeded line as migration 0003_line_fulfilment backfills lines of that age: dispatched
 * (and for a delivered request received) in full, unlotted; open otherwise. A verified
 * request's lines are picked in full. The control flag is left unknown (NULL): the requests
 * service resolves it from the catalog when a decision needs it.
 */
function seededLine(status: RequestStatus, quantity: number) {
  if (status === "DELIVERED") {
    return { status: "DELIVERED" as const, quantityDispatched: quantity, quantityReceived: quantity };
  }
  if (status === "DISPATCHED" || status === "VERIFIED")
    return { status: "PICKED" as const, quantityDispatched: quantity };
  return {};
}

/** ~40 requests in every status with items, totals and full status history. */
export async function seedRequests(tx: Db, now = new Date()): Promise<boolean> {
  const existing = await tx.execute(sql`SELECT EXISTS (SELECT 1 FROM ${requests}) AS "exists"`);
  if (existing.rows[0]?.exists) return false;

  const planned = planRequests(now).sort((a, b) => a.history[0]!.at.getTime() - b.history[0]!.at.getTime());

  // One by one in creation order so that numbers (column default, nextval) follow time.
  for (const r of planned) {
    const last = r.history[r.history.length - 1]!;
    await tx.insert(requests).values({
      id: r.id,
      kind: r.kind,
      priority: r.priority,
      status: r.status,
      version: r.history.length,
      requesterId: r.requester.id,
      assigneeId: r.assignee?.id ?? null,
      dispenserId: dispenserId(r.dispenserCode),
      ward: r.ward,
      note: r.note,
      assistanceReason:
        r.kind === "ASSISTANCE" ? (assistanceCases.find(([, note]) => note === r.note)?.[0] ?? "OTHER") : null,
      reasonCode: last.reasonCode ?? null,
      reasonText: last.reasonText ?? null,
      totalCost: centsToDecimal(r.totalCostCents, "totalCost"),
      createdAt: r.history[0]!.at,
      updatedAt: last.at,
    });
  }

  const itemRows = planned.flatMap((r) =>
    r.items.map((i) => ({
      requestId: r.id,
      itemId: i.item.id,
      itemKind: i.item.kind,
      quantity: i.quantity,
      unitCost: i.item.unitCost,
      ...seededLine(r.status, i.quantity),
    })),
  );
  if (itemRows.length > 0) await tx.insert(requestItems).values(itemRows);

  const historyRows = planned
    .flatMap((r) =>
      r.history.map((h) => ({
        requestId: r.id,
        fromStatus: h.from,
        toStatus: h.to,
        at: h.at,
        actorId: h.actor.id,
        reasonCode: h.reasonCode ?? null,
        reasonText: h.reasonText ?? null,
      })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  await tx.insert(requestHistory).values(historyRows);
  await startSeededSlaClocks(tx);
  await seedRequestEvents(tx, planned);
  return true;
}
