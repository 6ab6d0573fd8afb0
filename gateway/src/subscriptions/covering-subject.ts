/**
 * The narrowest single JetStream filter subject that matches every subject given, e.g.
 * `asky.requests.>` for the request lifecycle subjects and `asky.>` once a dispensers subject
 * joins them. nats-server 2.9 takes one filter subject per consumer (arrays need 2.10), so a
 * feed of several subjects filters on this and drops what is not its own as it reads.
 */
export function coveringSubject(subjects: readonly string[]): string {
  const [first, ...rest] = subjects.map((subject) => subject.split("."));
  if (!first) throw new Error("coveringSubject needs at least one subject");
  if (rest.every((tokens) => tokens.join(".") === first.join("."))) return first.join(".");
  let common = 0;
  while (common < first.length && rest.every((tokens) => tokens[common] === first[common])) common += 1;
  // `>` stands for one token or more: a prefix must leave at least one token of every subject.
  const shortest = Math.min(first.length, ...rest.map((tokens) => tokens.length));
  const prefix = first.slice(0, Math.min(common, shortest - 1));
  return [...prefix, ">"].join(".");
}
