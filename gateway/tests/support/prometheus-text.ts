/** One sample line of a Prometheus text scrape. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of a scrape (comments skipped), as Prometheus would read them. */
export function samplesOf(scrape: string): Sample[] {
  return scrape.split("\n").flatMap((line) => {
    const match = sampleLine.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(labelPair)].map((pair) => [pair[1]!, pair[2]!]));
    const raw = match[3]!;
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    return [{ name: match[1]!, labels, value }];
  });
}

/** The sum of `name`'s samples whose labels include `where`; 0 when there is none. */
export function sumOf(scrape: string, name: string, where: Readonly<Record<string, string>> = {}): number {
  return samplesOf(scrape)
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(where).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** The `# TYPE` a scrape declares for `name`, if any. */
export function typeOf(scrape: string, name: string): string | undefined {
  return new RegExp(`^# TYPE ${name} (\\w+)$`, "m").exec(scrape)?.[1];
}
