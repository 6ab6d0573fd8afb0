/**
 * CPF (Cadastro de Pessoas Físicas) helpers: check digits (módulo 11), validation and
 * deterministic generation of valid demo numbers.
 */
import { createHash } from "node:crypto";

function checkDigit(digits: readonly number[]): number {
  // Weights run from digits.length + 1 down to 2.
  const sum = digits.reduce((acc, d, i) => acc + d * (digits.length + 1 - i), 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** The two check digits of a 9-digit CPF base, e.g. `cpfCheckDigits("529982247")` → `"25"`. */
export function cpfCheckDigits(base: string): string {
  if (!/^[0-9]{9}$/.test(base)) throw new Error("cpfCheckDigits: base must be 9 digits");
  const digits = [...base].map(Number);
  const first = checkDigit(digits);
  const second = checkDigit([...digits, first]);
  return `${first}${second}`;
}

/** Strips punctuation: `"529.982.247-25"` → `"52998224725"`. */
export function normalizeCpf(cpf: string): string {
  return cpf.replace(/[^0-9]/g, "");
}

/** True for an 11-digit CPF (punctuation allowed) with correct check digits, not all digits equal. */
export function isValidCpf(cpf: string): boolean {
  const digits = normalizeCpf(cpf);
  if (!/^[0-9]{11}$/.test(digits)) return false;
  if (/^(\d)\1{10}$/.test(digits)) return false;
  return cpfCheckDigits(digits.slice(0, 9)) === digits.slice(9);
}

/** `"52998224725"` → `"529.982.247-25"`. */
export function formatCpf(cpf: string): string {
  const d = normalizeCpf(cpf);
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9, 11)}`;
}

/** A valid CPF derived deterministically from `seed` (same seed → same CPF). */
export function deterministicCpf(seed: string): string {
  for (let attempt = 0; ; attempt++) {
    const hash = createHash("sha1").update(`cpf:${seed}:${attempt}`).digest();
    const base = [...hash.subarray(0, 9)].map((b) => b % 10).join("");
    if (/^(\d)\1{8}$/.test(base)) continue;
    const cpf = base + cpfCheckDigits(base);
    if (isValidCpf(cpf)) return cpf;
  }
}
