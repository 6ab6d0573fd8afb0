/** The default branch of an exhaustive switch: the compiler refuses it unless `value` is `never`. */
export function assertNever(value: never, what: string): never {
  const shown: unknown = value;
  throw new Error(`unknown ${what} ${typeof shown === "string" ? shown : JSON.stringify(shown)}`);
}
