import { changed, wardCode } from "@asky/runtime";
import type { CreateUserInput, UpdateUserInput } from "../generated/resolvers-types.js";
import type { UserPatch, UserProfile } from "../domain/user-changes.js";
import { normalizeCpf } from "./cpf.js";
import { normalizeEmail } from "./email.js";
import { checkPassword } from "./password-policy.js";
import { normalizePhone } from "./phone.js";
import { checkRoleWard, normalizeFullName, normalizeNickname } from "./profile.js";

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
    ward: ward === null ? null : wardCode(ward),
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

/** Validates the fields present in an update; absent fields stay undefined (unchanged). */
export function validateUserUpdate(input: UpdateUserInput): ValidatedUpdate {
  const patch: UserPatch = {};
  const nickname = changed(input.nickname, "nickname", normalizeNickname);
  if (nickname !== undefined) patch.nickname = nickname;
  const fullName = changed(input.fullName, "fullName", normalizeFullName);
  if (fullName !== undefined) patch.fullName = fullName;
  const email = changed(input.email, "email", normalizeEmail);
  if (email !== undefined) patch.email = email;
  const cpf = changed(input.cpf, "cpf", normalizeCpf);
  if (cpf !== undefined) patch.cpf = cpf;
  const role = changed(input.role, "role", (value) => value);
  if (role !== undefined) patch.role = role;
  const active = changed(input.active, "active", (value) => value);
  if (active !== undefined) patch.active = active;
  if (input.phone !== undefined) {
    const phone = blankToNull(input.phone);
    patch.phone = phone === null ? null : normalizePhone(phone);
  }
  if (input.ward !== undefined) {
    const ward = blankToNull(input.ward);
    patch.ward = ward === null ? null : wardCode(ward);
  }
  return { patch, password: changed(input.password, "password", (value) => value) ?? null };
}
