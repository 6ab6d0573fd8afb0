import { allow, guardResolvers } from "@asky/auth";
import type { Resolvers } from "./generated/resolvers-types.js";

/**
 * Who may call each root field of the dispensers subgraph. Every field must appear here:
 * the table's type is derived from the schema, so a new field without a rule fails to
 * compile. Reads are open to every signed-in role; the cabinet inventory is not secret
 * inside the hospital, and nurses need it to know what to ask for. (The one guarded
 * field below the root, Dispenser.qrCode, checks its roles in its resolver.)
 */
export function withAccessRules(resolvers: Resolvers): Resolvers {
  return guardResolvers(resolvers, {
    Query: {
      dispensers: allow.signedIn,
      dispenser: allow.signedIn,
      catalog: allow.signedIn,
      medication: allow.signedIn,
      material: allow.signedIn,
      wards: allow.signedIn,
      // A nurse scans the cabinet's label to open a request for it.
      dispenserByQr: allow.signedIn,
      expiringLots: allow.signedIn,
      // Scoped to the viewer's ward by the resolver, as the stockLow subscription is.
      stockLowAlert: allow.signedIn,
      // The controlled substances book is the responsible pharmacist's record (Portaria 344/98).
      controlledBook: allow.roles("PHARMACIST", "ADMIN"),
    },
    Mutation: {
      // The cabinet inventory and its labels are the administrators' (IT / biomedical engineering).
      createDispenser: allow.roles("ADMIN"),
      updateDispenser: allow.roles("ADMIN"),
      rotateDispenserQr: allow.roles("ADMIN"),
      // The formulary is the pharmacy's.
      createMedication: allow.roles("PHARMACIST", "ADMIN"),
      updateMedication: allow.roles("PHARMACIST", "ADMIN"),
      createMaterial: allow.roles("PHARMACIST", "ADMIN"),
      updateMaterial: allow.roles("PHARMACIST", "ADMIN"),
      // Technicians load and count the cabinets; nurses dispense through requests, not here.
      adjustStock: allow.roles("PHARMACIST", "PHARMACY_TECHNICIAN", "ADMIN"),
      // How much a cabinet should hold is a pharmaceutical decision.
      setParLevels: allow.roles("PHARMACIST", "ADMIN"),
      // Signing a month of the book off is the pharmacist's legal act, not an administrator's.
      closeControlledBookPeriod: allow.roles("PHARMACIST"),
    },
  });
}
