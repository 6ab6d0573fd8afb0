/**
 * A metric label whose values come from clients (an operation's name) must not grow without
 * bound: every distinct value is a new series held in memory for the life of the process, so a
 * client sending a fresh name per request would exhaust it. The first `max` well-formed values
 * are kept as given; anything else, malformed or past the bound, is counted as `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly pattern: RegExp = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/,
  ) {}

  of(value: string | undefined | null): string {
    if (value === undefined || value === null || value === "") return "";
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max || !this.pattern.test(value)) return "other";
    this.seen.add(value);
    return value;
  }
}
