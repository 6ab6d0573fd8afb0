/** Input validation of the users service: every rule raises BAD_USER_INPUT with `extensions.field`. */
export { isValidCpf, normalizeCpf } from "./cpf.js";
export { emailLocalPart, normalizeEmail } from "./email.js";
export { normalizePhone } from "./phone.js";
export { checkRoleWard, FULL_NAME_LENGTH, NICKNAME_LENGTH, normalizeFullName, normalizeNickname } from "./profile.js";
/** Wards follow the one code rule of every service. */
export { wardCode as normalizeWard } from "@asky/runtime";
export { checkPassword, PASSWORD_LENGTH, type PasswordOwner } from "./password-policy.js";
export { validateNewUser, validateUserUpdate, type NewUser, type ValidatedUpdate } from "./user-input.js";
