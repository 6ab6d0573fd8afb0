/**
 * The default branch of an exhaustive switch. The compiler refuses a call whose value is not
 * `never`, so a new member of a union that some switch forgot fails the build; if a value
 * the types ruled out arrives anyway (data from outside, a cast), it fails loudly here.
 */
export function assertNever(value: never, what: string): never {
  const shown: unknown = value;
  throw new Error(`unknown ${what} ${typeof shown === "string" ? shown : JSON.stringify(shown)}`);
}
