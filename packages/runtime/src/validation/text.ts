import { invalidInput, inputNameOf, type InputName } from "./invalid-field.js";

/**
 * Text from clients, checked before it reaches SQL. Every service's validation goes
 * through here, so what a field may hold is decided once:
 *
 * - U+0000 makes Postgres refuse the whole statement, and a lone UTF-16 surrogate either
 *   fails in jsonb (audit details) or is silently stored as U+FFFD in text. Left to the
 *   database, both are an internal error any client can raise at will.
 * - Other C0 controls, DEL and C1 controls (U+0080–U+009F: NEXT LINE, CSI, ...) are stored
 *   happily but have no business in a cabinet name, a lot number or a search: they hide or
 *   rewrite text on the screen and in the logs of whoever reads it later.
 *
 * Two shapes: `line` (names, codes, wards, lot numbers, searches, keys) allows no control
 * character at all, tab included; `multiline` (notes, reasons, descriptions) also allows
 * line breaks and tabs, with CRLF and lone CR stored as LF so that one note reads the same
 * from every client.
 *
 * Surrounding whitespace is trimmed before anything is checked (a pasted trailing line break
 * is not part of the text); what is left is checked whole, and `max` bounds what is stored.
 */
export type TextShape = "line" | "multiline";

export interface TextRules {
  /** Most UTF-16 code units kept after trimming. */
  readonly max: number;
  readonly shape?: TextShape;
}

// eslint-disable-next-line no-control-regex
const lineControls = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const multilineControls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// Without the u flag a regexp sees code units, so a well-formed pair never matches.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored as text of `shape`, as the end of a sentence; null when it can. */
export function textFault(text: string, shape: TextShape = "line"): string | null {
  if (loneSurrogate.test(text)) return "is not valid Unicode text";
  const controls = shape === "multiline" ? multilineControls : lineControls;
  if (controls.test(text)) {
    return shape === "multiline"
      ? "must not contain control characters other than line breaks and tabs"
      : "must not contain control characters";
  }
  return null;
}

/**
 * Client text as it will be stored: trimmed, line breaks normalized in multi-line text,
 * at most `max` characters. A blank value comes back as "" for the caller to refuse or
 * read as "none"; anything else unfit is BAD_USER_INPUT naming the argument or field.
 */
export function inputText(value: string, name: InputName, rules: TextRules): string {
  const shape = rules.shape ?? "line";
  const trimmed = value.trim();
  const text = shape === "multiline" ? trimmed.replace(/\r\n?/g, "\n") : trimmed;
  const label = inputNameOf(name);
  if (text.length > rules.max) throw invalidInput(name, `${label} is limited to ${rules.max} characters`);
  const fault = textFault(text, shape);
  if (fault !== null) throw invalidInput(name, `${label} ${fault}`);
  return text;
}

/** `inputText` for optional values: null, absent and blank all mean "none". */
export function optionalInputText(value: string | null | undefined, name: InputName, rules: TextRules): string | null {
  if (value === null || value === undefined) return null;
  const text = inputText(value, name, rules);
  return text.length === 0 ? null : text;
}

/** A required input field: `inputText`, and blank is refused. */
export function requiredText(value: string, field: string, max: number, shape: TextShape = "line"): string {
  const text = inputText(value, { field }, { max, shape });
  if (text.length === 0) throw invalidInput({ field }, `${field} must not be blank`);
  return text;
}

/** An optional input field: null, absent and blank all mean "none". */
export function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
  shape: TextShape = "line",
): string | null {
  return optionalInputText(value, { field }, { max, shape });
}

/**
 * A client-chosen key compared as given: not trimmed (" a" and "a" are two keys), but still
 * one line of valid text, since it is stored and shown to whoever investigates a duplicate.
 */
export function keyText(value: string, field: string, max: number): string {
  if (value.length < 1 || value.length > max)
    throw invalidInput({ field }, `${field} must have 1 to ${max} characters`);
  const fault = textFault(value);
  if (fault !== null) throw invalidInput({ field }, `${field} ${fault}`);
  return value;
}
