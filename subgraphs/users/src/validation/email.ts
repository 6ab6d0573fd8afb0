import { invalidField } from "@asky/runtime";

/**
 * Deliberately plain: ASCII local part without leading, trailing or doubled dots, and a
 * domain of dotted DNS labels. Hospital staff accounts use institutional addresses, so
 * refusing exotic-but-legal forms (quoted local parts, IP literals) costs nothing.
 */
const localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function normalizeEmail(input: string, field = "email"): string {
  const email = input.trim().toLowerCase();
  if (email.length > 254) throw invalidField(field, "Email is too long");
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const labels = domain.split(".");
  const valid =
    at > 0 &&
    local.length <= 64 &&
    localPart.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => domainLabel.test(label)) &&
    /^[a-z]{2,}$/.test(labels.at(-1) ?? "");
  if (!valid) throw invalidField(field, "Email is not a valid address");
  return email;
}

/** The part before @, which people like to reuse inside their passwords. */
export function emailLocalPart(email: string): string {
  return email.slice(0, Math.max(0, email.lastIndexOf("@")));
}
