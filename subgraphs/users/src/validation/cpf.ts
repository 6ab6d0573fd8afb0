import { invalidField } from "@asky/runtime";

/** Bare digits or the usual 000.000.000-00 punctuation; nothing else. */
const cpfShape = /^(\d{3})\.?(\d{3})\.?(\d{3})-?(\d{2})$/;

/** Modulo-11 check digit over the leading digits, weights counting down to 2. */
function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) sum += Number(digits[i]) * (digits.length + 1 - i);
  const remainder = (sum * 10) % 11;
  return remainder === 10 ? 0 : remainder;
}

/** True for 11 digits whose two check digits match and that are not one digit repeated. */
export function isValidCpf(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  // 000.000.000-00 … 999.999.999-99 pass the check-digit arithmetic but are not issued.
  if (/^(\d)\1{10}$/.test(digits)) return false;
  return checkDigit(digits.slice(0, 9)) === Number(digits[9]) && checkDigit(digits.slice(0, 10)) === Number(digits[10]);
}

/** Accepts `111.444.777-35` or `11144477735`; returns the 11 digits stored in the database. */
export function normalizeCpf(input: string, field = "cpf"): string {
  const match = cpfShape.exec(input.trim());
  if (!match) throw invalidField(field, "CPF must have 11 digits, e.g. 111.444.777-35");
  const digits = match.slice(1).join("");
  if (!isValidCpf(digits)) throw invalidField(field, "CPF is not valid (check digits do not match)");
  return digits;
}
