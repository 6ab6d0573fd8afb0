import { invalidField, textFault } from "@asky/runtime";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Normalizes to E.164 (+5511987654321). Numbers without a country code are read as
 * Brazilian. The full ("max") metadata validates the digits, not only the length, so a
 * mistyped area code is caught here rather than when the pharmacy tries to call.
 */
export function normalizePhone(input: string, field = "phone"): string {
  const trimmed = input.trim();
  // libphonenumber skips characters it does not know; control characters are refused outright.
  if (trimmed.length === 0 || trimmed.length > 40 || textFault(trimmed) !== null)
    throw invalidField(field, "Phone number is not valid");
  const phone = parsePhoneNumberFromString(trimmed, { defaultCountry: "BR", extract: false });
  if (!phone || !phone.isValid()) throw invalidField(field, "Phone number is not valid");
  // E.164 has no room for an extension; refusing it beats silently dropping it.
  if (phone.ext) throw invalidField(field, "Phone extensions are not supported");
  return phone.number;
}
