import type { Logger, Closeable } from "@asky/runtime";

/**
 * The order a subgraph stops in, written down once for all of them. A stage begins when the
 * previous one has ended; what one stage holds is closed side by side.
 *
 * - `background`: event consumers and jobs. They write with the pools, so they stop first;
 *   an event a consumer is handling is finished and acknowledged rather than cut off.
 * - `http`: stops listening and lets the operations under way finish (they write too).
 * - `answers`: what the service answers on NATS from its database (the users service's
 *   revocation watermarks), kept while HTTP drains so that its siblings stay proven current.
 * - `collaborators`: process-wide helpers the operations used: revocation checks, the
 *   session voucher, read caches and the watchers of their hints.
 * - `databases`: the service pool and the consumers' own pools, now that nothing uses them.
 * - `relay`: the outbox relay (its own connection), so that what was committed up to here
 *   is still published if the broker is there.
 * - `nats`: drained last: every ack, hint and publish above goes through it.
 */
export const stopStages = ["background", "http", "answers", "collaborators", "databases", "relay", "nats"] as const;

export type StopStage = (typeof stopStages)[number];

export type Closer = Closeable | (() => Promise<void>);

interface Entry {
  readonly name: string;
  readonly close: () => Promise<void>;
}

const closeOf = (closer: Closer): (() => Promise<void>) =>
  typeof closer === "function" ? closer : () => closer.close();

/**
 * What a service has started, each part filed under the stage it stops in. The start order
 * files parts as it starts them, so a start that fails halfway closes exactly what it opened,
 * in the same order as a normal stop.
 */
export class StopOrder {
  private readonly stages = new Map<StopStage, Entry[]>(stopStages.map((stage) => [stage, []]));
  private closing: Promise<void> | null = null;

  constructor(private readonly logger?: Logger) {}

  /** Files `closer` under `stage`; `name` is what a failure to close it is logged as. */
  add(stage: StopStage, name: string, closer: Closer): void {
    if (this.closing) throw new Error(`${name} started after the service began to stop`);
    this.stages.get(stage)?.push({ name, close: closeOf(closer) });
  }

  /**
   * Closes stage by stage, attempting every part even when another fails, and rejects with
   * every failure at the end. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.closeStages();
    return this.closing;
  }

  private async closeStages(): Promise<void> {
    const failures: unknown[] = [];
    for (const stage of stopStages) {
      const entries = this.stages.get(stage) ?? [];
      if (entries.length === 0) continue;
      this.logger?.debug({ stage, parts: entries.map((entry) => entry.name) }, "stopping");
      const outcomes = await Promise.allSettled(entries.map(async (entry) => entry.close()));
      outcomes.forEach((outcome, index) => {
        if (outcome.status === "fulfilled") return;
        failures.push(outcome.reason);
        this.logger?.error({ err: outcome.reason, stage, part: entries[index]?.name }, "could not stop cleanly");
      });
    }
    if (failures.length > 0) throw new AggregateError(failures, "some parts of the service failed to stop");
  }
}
