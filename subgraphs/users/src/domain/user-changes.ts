import type { Role } from "@asky/contracts";

/** The editable profile of a user, as validated input or as stored. */
export interface UserProfile {
  nickname: string;
  fullName: string;
  email: string;
  phone: string | null;
  cpf: string;
  role: Role;
  ward: string | null;
  active: boolean;
}

/** A validated update: only the fields the client sent. */
export type UserPatch = Partial<UserProfile>;

export type FieldChange = { from: unknown; to: unknown } | { changed: true };

export interface PlannedUpdate {
  /** The columns that actually change (empty when the update is a no-op). */
  readonly columns: UserPatch;
  /** The profile after the update, for whole-record rules such as "a nurse needs a ward". */
  readonly next: UserProfile;
  /** Audit diff of `columns`; personal identifiers show only that they changed. */
  readonly changes: Readonly<Record<string, FieldChange>>;
}

// The CPF is a national identifier: the audit log records that it changed, not its values.
const redacted: ReadonlySet<keyof UserProfile> = new Set(["cpf"]);

const profileFields: readonly (keyof UserProfile)[] = [
  "nickname",
  "fullName",
  "email",
  "phone",
  "cpf",
  "role",
  "ward",
  "active",
];

/**
 * Works out what an update really changes. Moving someone out of nursing drops their ward
 * unless the request says otherwise, since only nurses belong to a ward.
 */
export function planUserUpdate(current: UserProfile, patch: UserPatch): PlannedUpdate {
  const effective: UserPatch = { ...patch };
  if (patch.role !== undefined && patch.role !== "NURSE" && patch.ward === undefined) effective.ward = null;
  const next: UserProfile = { ...current };
  const columns: UserPatch = {};
  const changes: Record<string, FieldChange> = {};
  for (const field of profileFields) {
    const value = effective[field];
    if (value === undefined || value === current[field]) continue;
    Object.assign(next, { [field]: value });
    Object.assign(columns, { [field]: value });
    changes[field] = redacted.has(field) ? { changed: true } : { from: current[field], to: value };
  }
  return { columns, next, changes };
}
