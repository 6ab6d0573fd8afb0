import type { CreateUserInput, UpdateUserInput } from "../generated/resolvers-types.js";
import type { UserPatch, UserProfile } from "../domain/user-changes.js";
import { normalizeCpf } from "./cpf.js";
import { normalizeEmail } from "./email.js";
import { invalidField } from "./field-error.js";
import { checkPassword } from "./password-policy.js";
import { normalizePhone } from "./phone.js";
import { checkRoleWard, normalizeFullName, normalizeNickname, normalizeWard } from "./profile.js";

/** Empty strings mean "none" for the optional fields: forms send "" for a blank input. */
const blankToNull = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === "" ? null : value;

export interface NewUser {
  readonly profile: UserProfile;
  readonly password: string;
}

/** Validates and normalizes a whole new user, password policy included. */
export function validateNewUser(input: CreateUserInput): NewUser {
  const email = normalizeEmail(input.email);
  const cpf = normalizeCpf(input.cpf);
  const phone = blankToNull(input.phone);
  const ward = blankToNull(input.ward);
  const profile: UserProfile = {
    nickname: normalizeNickname(input.nickname),
    fullName: normalizeFullName(input.fullName),
    email,
    phone: phone === null ? null : normalizePhone(phone),
    cpf,
    role: input.role,
    ward: ward === null ? null : normalizeWard(ward),
    active: true,
  };
  checkRoleWard(profile.role, profile.ward);
  checkPassword(input.password, { email, cpf });
  return { profile, password: input.password };
}

export interface ValidatedUpdate {
  readonly patch: UserPatch;
  /** Checked against the policy later, once the resulting email and CPF are known. */
  readonly password: string | null;
}

function required<T>(value: T | null | undefined, field: string): T | undefined {
  if (value === null) throw invalidField(field, `${field} cannot be null`);
  return value;
}

/** Validates the fields present in an update; absent fields stay undefined (unchanged). */
export function validateUserUpdate(input: UpdateUserInput): ValidatedUpdate {
  const patch: UserPatch = {};
  const nickname = required(input.nickname, "nickname");
  if (nickname !== undefined) patch.nickname = normalizeNickname(nickname);
  const fullName = required(input.fullName, "fullName");
  if (fullName !== undefined) patch.fullName = normalizeFullName(fullName);
  const email = required(input.email, "email");
  if (email !== undefined) patch.email = normalizeEmail(email);
  const cpf = required(input.cpf, "cpf");
  if (cpf !== undefined) patch.cpf = normalizeCpf(cpf);
  const role = required(input.role, "role");
  if (role !== undefined) patch.role = role;
  const active = required(input.active, "active");
  if (active !== undefined) patch.active = active;
  if (input.phone !== undefined) {
    const phone = blankToNull(input.phone);
    patch.phone = phone === null ? null : normalizePhone(phone);
  }
  if (input.ward !== undefined) {
    const ward = blankToNull(input.ward);
    patch.ward = ward === null ? null : normalizeWard(ward);
  }
  return { patch, password: required(input.password, "password") ?? null };
}
