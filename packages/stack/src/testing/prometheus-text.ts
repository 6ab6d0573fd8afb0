/**
 * Prometheus' text exposition format (what GET /metrics serves), read as Prometheus reads it:
 * the samples with their labels and values, the `# TYPE` of each metric family, and whether a
 * query of a name would find samples. Pure (no stack, no I/O): unit tests import it as
 * `@asky/stack/testing/prometheus-text`.
 */

/** One sample line of a scrape. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A sample line: name, optional `{labels}` (quoted values may hold `}`), value, optional timestamp. */
const sampleLine = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?\s+(\S+)(?:\s+\S+)?\s*$/;
const labelPair = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
const typeLine = /^#\s*TYPE\s+(\S+)\s+(\S+)/;

const unescape = (value: string) => value.replace(/\\(.)/g, (_, char: string) => (char === "n" ? "\n" : char));

function valueOf(raw: string): number {
  if (raw === "+Inf" || raw === "Inf") return Infinity;
  if (raw === "-Inf") return -Infinity;
  return Number(raw);
}

/** Every sample of a scrape (comments skipped), with its labels and value. */
export function samplesOf(scrape: string): Sample[] {
  return scrape.split("\n").flatMap((line) => {
    const match = sampleLine.exec(line);
    if (!match) return [];
    const pairs = [...(match[2] ?? "").matchAll(labelPair)].map((pair) => [pair[1]!, unescape(pair[2]!)] as const);
    return [{ name: match[1]!, labels: Object.fromEntries(pairs), value: valueOf(match[3]!) }];
  });
}

/** The sum of `name`'s samples whose labels include `where`; 0 when there is none. */
export function sumOf(scrape: string, name: string, where: Readonly<Record<string, string>> = {}): number {
  return samplesOf(scrape)
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(where).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** The `# TYPE` of each metric family a scrape declares. */
export function typesOf(scrape: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of scrape.split("\n")) {
    const type = typeLine.exec(line);
    if (type) types.set(type[1]!, type[2]!);
  }
  return types;
}

/** The `# TYPE` a scrape declares for `name`, if any. */
export function typeOf(scrape: string, name: string): string | undefined {
  return typesOf(scrape).get(name);
}

/** A scrape as the names it serves: what a query of a metric name would find. */
export interface Exposition {
  /** Names of the samples present (`foo_bucket`, `foo_count`, `bar_total`...). */
  readonly names: ReadonlySet<string>;
  /** `# TYPE` of each metric family. */
  readonly types: ReadonlyMap<string, string>;
  /** The label names seen on each sample name. */
  readonly labels: ReadonlyMap<string, ReadonlySet<string>>;
}

export function parseExposition(scrape: string): Exposition {
  const names = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const sample of samplesOf(scrape)) {
    names.add(sample.name);
    const seen = labels.get(sample.name) ?? new Set<string>();
    for (const label of Object.keys(sample.labels)) seen.add(label);
    labels.set(sample.name, seen);
  }
  return { names, types: typesOf(scrape), labels };
}

const histogramSeries = /^(.+)_(bucket|count|sum)$/;

/** The name a referenced series belongs to: a histogram's `_bucket`/`_count`/`_sum` drop their suffix. */
export function baseName(name: string): string {
  return histogramSeries.exec(name)?.[1] ?? name;
}

/**
 * Whether a query of `name` finds samples in this scrape: the name is a sample of it, and a
 * histogram's series are only named with their suffix (a bare histogram name selects nothing).
 */
export function servedBy(name: string, exposition: Exposition): boolean {
  if (!exposition.names.has(name)) return false;
  const series = histogramSeries.exec(name);
  if (series) {
    const type = exposition.types.get(series[1]!);
    // foo_count may also be a counter or gauge of its own name.
    if (type !== undefined) return type === "histogram" || (type === "summary" && series[2] !== "bucket");
  }
  return exposition.types.get(name) !== "histogram";
}
