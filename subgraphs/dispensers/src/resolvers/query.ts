import { errors, pageSize, searchTerm, wardCode, addDays, hospitalToday } from "@asky/runtime";
import { listCatalog } from "../data/catalog.js";
import { findDispenserByQrToken } from "../data/dispenser-writes.js";
import { listDispensers } from "../data/dispensers.js";
import { listExpiringLots } from "../data/expiring-lots.js";
import { listWards } from "../data/wards.js";
import { qrTokenOf } from "../domain/qr-code.js";
import type { QueryResolvers } from "../generated/resolvers-types.js";
import { controlledBook } from "../services/controlled-book.js";
import { LIMITS } from "../validation/limits.js";

const wardFilter = (ward: string | null | undefined) => (ward ? wardCode(ward) : null);
const MAX_EXPIRY_WINDOW_DAYS = 365;

export const Query: QueryResolvers = {
  dispensers: (_parent, { first, after, ward, search }, { db }) =>
    listDispensers(db, { ward: wardFilter(ward), search: searchTerm(search) }, pageSize(first), after),
  dispenser: (_parent, { id }, { loaders }) => loaders.dispenser.load(id),
  catalog: (_parent, { first, after, search, kind }, { db }) =>
    listCatalog(db, { kind, search: searchTerm(search) }, pageSize(first), after),
  medication: async (_parent, { id }, { loaders }) => {
    const item = await loaders.catalogItem.load(id);
    return item?.kind === "MEDICATION" ? item : null;
  },
  material: async (_parent, { id }, { loaders }) => {
    const item = await loaders.catalogItem.load(id);
    return item?.kind === "MATERIAL" ? item : null;
  },
  wards: async (_parent, _args, { db, services: { cache } }) => {
    const cached = cache.wards.get("all");
    if (cached) return cached;
    const epoch = cache.epoch;
    const rows = await listWards(db);
    if (cache.epoch === epoch) cache.wards.set("all", rows);
    return rows;
  },
  dispenserByQr: async (_parent, { payload }, { db, loaders }) => {
    if (payload.length > LIMITS.qrPayload) {
      throw errors.badUserInput(`payload is limited to ${LIMITS.qrPayload} characters`, { argument: "payload" });
    }
    const token = qrTokenOf(payload);
    if (!token) return null;
    const dispenser = await findDispenserByQrToken(db, token);
    if (dispenser) loaders.dispenser.clear(dispenser.id).prime(dispenser.id, dispenser);
    return dispenser;
  },
  expiringLots: async (_parent, { withinDays, ward, dispenserId }, { db, loaders }) => {
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_EXPIRY_WINDOW_DAYS) {
      throw errors.badUserInput(`withinDays must be between 0 and ${MAX_EXPIRY_WINDOW_DAYS}`, {
        argument: "withinDays",
      });
    }
    if (dispenserId && !(await loaders.dispenser.load(dispenserId))) throw errors.notFound("Dispenser", dispenserId);
    return listExpiringLots(db, {
      until: addDays(hospitalToday(), withinDays),
      ward: wardFilter(ward),
      dispenserId: dispenserId ?? null,
    });
  },
  controlledBook: (_parent, { list, itemId, from, to }, context) =>
    controlledBook(context, { list, itemId: itemId ?? null, from: new Date(from), to: new Date(to) }),
};
