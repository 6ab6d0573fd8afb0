/** Who a user is to Asky; the users schema's `role` enum and the GraphQL `Role` enum. */
export const roles = ["NURSE", "PHARMACIST", "PHARMACY_TECHNICIAN", "ADMIN"] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return (roles as readonly unknown[]).includes(value);
}

/** The pharmacy: who accepts, prepares and dispatches requests, and sees every ward. */
export const pharmacyRoles = ["PHARMACIST", "PHARMACY_TECHNICIAN"] as const satisfies readonly Role[];
export type PharmacyRole = (typeof pharmacyRoles)[number];

export function isPharmacyRole(role: Role): role is PharmacyRole {
  return (pharmacyRoles as readonly Role[]).includes(role);
}
