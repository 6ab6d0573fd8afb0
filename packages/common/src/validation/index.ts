/**
 * Input validation shared by every service: each rule is spelled once, and each refusal is
 * BAD_USER_INPUT naming the argument or input field (see invalid-field.ts).
 */
export { invalidField, invalidInput, inputNameOf, type InputName } from "./invalid-field.js";
export {
  inputText,
  keyText,
  optionalInputText,
  optionalText,
  requiredText,
  textFault,
  type TextRules,
  type TextShape,
} from "./text.js";
export { codeText, wardCode, WARD_CODE_LENGTH } from "./codes.js";
export { uuidField } from "./uuid.js";
export { intInRange } from "./numbers.js";
export { calendarDateOf } from "./dates.js";
export { centsOf, centsToDecimal, decimalToCents, MAX_MONEY_CENTS, moneyInput } from "./money.js";
export { changed, changedOptional } from "./changes.js";
