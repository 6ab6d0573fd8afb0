import { invalidField } from "@asky/runtime";
import { commonPasswords, sequences } from "./common-passwords.js";
import { emailLocalPart } from "./email.js";

/**
 * Length over composition rules (NIST SP 800-63B): at least 12 characters, at most 128
 * (argon2 would take more, but nobody types that and it bounds the work per request), and
 * not something an attacker tries first.
 */
export const PASSWORD_LENGTH = { min: 12, max: 128 } as const;

export interface PasswordOwner {
  /** Normalized email: its local part must not appear in the password. */
  readonly email: string;
  /** 11 digits: must not appear in the password. */
  readonly cpf: string;
}

const leet: Readonly<Record<string, string>> = {
  "@": "a",
  "4": "a",
  "3": "e",
  "1": "i",
  "!": "i",
  "0": "o",
  $: "s",
  "5": "s",
  "7": "t",
};

const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
const unLeet = (text: string) => text.replace(/[@43!10$57]/g, (c) => leet[c] ?? c);
/** "senhasenha" → "senha": repeating a weak word does not make it strong. */
const repeatedUnit = (text: string) => /^(.+?)\1+$/s.exec(text)?.[1] ?? text;

const foldedCommon = new Set([...commonPasswords].map(fold));

/** Index of the first letter and one past the last letter (the non-letter edges around a stem). */
function letterSpan(text: string): [number, number] {
  const chars = [...text];
  const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
  let first = 0;
  while (first < chars.length && !isLetter(chars[first])) first += 1;
  let last = chars.length;
  while (last > first && !isLetter(chars[last - 1])) last -= 1;
  return [first, last];
}

/**
 * The forms under which a password is looked up in the common list: every way of cutting
 * digits and symbols off its edges ("S3nh@2026" → "s3nh@"), each also with l33t undone
 * ("senha") and with a repeated stem collapsed.
 */
function stems(password: string): Set<string> {
  const folded = fold(password);
  const chars = [...folded];
  const [first, last] = letterSpan(folded);
  const forms = new Set<string>();
  for (let start = 0; start <= first; start += 1) {
    for (let end = Math.max(start, last); end <= chars.length; end += 1) {
      const middle = chars.slice(start, end).join("");
      for (const form of [middle, unLeet(middle)]) {
        if (form.length > 0) forms.add(form).add(repeatedUnit(form));
      }
    }
  }
  return forms;
}

function isCommon(password: string): boolean {
  for (const stem of stems(password)) if (foldedCommon.has(stem)) return true;
  const folded = fold(password);
  return sequences.some((run) => run.includes(folded));
}

/** Too few distinct characters ("aaaaaaaaaaaa", "abababababab") is guessable at any length. */
const tooRepetitive = (password: string) => new Set(password).size < 5;

function containsPersonalData(password: string, owner: PasswordOwner): boolean {
  const folded = fold(password);
  const local = fold(emailLocalPart(owner.email));
  // Pieces of "ana.paula.souza" count too, but pieces shorter than 4 letters are too
  // common inside ordinary words to police.
  const pieces = [
    ...(local.length >= 3 ? [local] : []),
    ...local.split(/[._+-]+/).filter((piece) => piece.length >= 4),
  ];
  if (pieces.some((piece) => folded.includes(piece))) return true;
  return owner.cpf.length > 0 && password.replace(/\D/g, "").includes(owner.cpf);
}

/** Throws BAD_USER_INPUT (on `field`) explaining the first rule the password breaks. */
export function checkPassword(password: string, owner: PasswordOwner, field = "password"): void {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min) {
    throw invalidField(field, `Password must have at least ${PASSWORD_LENGTH.min} characters`);
  }
  if (length > PASSWORD_LENGTH.max) {
    throw invalidField(field, `Password must have at most ${PASSWORD_LENGTH.max} characters`);
  }
  if (password.trim().length === 0 || tooRepetitive(password) || isCommon(password)) {
    throw invalidField(field, "Password is too common or predictable; try a longer phrase of unrelated words");
  }
  if (containsPersonalData(password, owner)) {
    throw invalidField(field, "Password must not contain your email name or CPF");
  }
}
