/** Input validation of the users service: every rule raises BAD_USER_INPUT with `extensions.field`. */
export { invalidField } from "./field-error.js";
export { isValidCpf, normalizeCpf } from "./cpf.js";
export { emailLocalPart, normalizeEmail } from "./email.js";
export { normalizePhone } from "./phone.js";
export { checkRoleWard, FULL_NAME_LENGTH, NICKNAME_LENGTH, normalizeFullName, normalizeNickname, normalizeWard } from "./profile.js";
export { checkPassword, PASSWORD_LENGTH, type PasswordOwner } from "./password-policy.js";
export { validateNewUser, validateUserUpdate, type NewUser, type ValidatedUpdate } from "./user-input.js";
