import { errors } from "@asky/runtime";
import { isPharmacyRole, type Role } from "@asky/contracts";
import { qrPayload, qrSvg } from "../domain/qr-code.js";
import type { DispenserQrCodeResolvers, DispenserResolvers } from "../generated/resolvers-types.js";

/** Label printers: pharmacy staff and administrators. A nurse scans labels, she never needs one. */
const readsLabels = (role: Role) => isPharmacyRole(role) || role === "ADMIN";

export const Dispenser: DispenserResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.dispenser.load(reference.id),
  qrCode: (dispenser, _args, { viewer }) => {
    if (!viewer) throw errors.unauthenticated();
    if (!readsLabels(viewer.role))
      throw errors.forbidden("Only pharmacy staff and administrators may read cabinet labels");
    return { payload: qrPayload(dispenser.qrToken) };
  },
  stock: async (dispenser, { lowOnly }, { loaders }) => {
    const levels = await loaders.stockByDispenser.load(dispenser.id);
    return lowOnly ? levels.filter((level) => level.low) : levels;
  },
};

export const DispenserQrCode: DispenserQrCodeResolvers = {
  svg: (source) => qrSvg(source.payload),
};
