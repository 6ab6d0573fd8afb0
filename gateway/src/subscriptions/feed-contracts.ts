import type { JsMsg } from "@nats-io/jetstream";
import type { Logger } from "@asky/runtime";
import { traceHeadersOfMessage } from "@asky/events";
import { coveringSubject } from "./covering-subject.js";
import type { FeedEvent } from "./feed-event.js";
import type { FeedContract } from "./subscription-field.js";

/**
 * The event contracts one reader of the stream understands: the live feed's are every
 * registered field's, a replay's those of the field it resumes. It reads the stream through
 * one filter subject covering them all, and skips the other subjects that filter lets in.
 */
export class FeedContracts {
  private readonly bySubject = new Map<string, FeedContract<unknown>>();
  /** The consumer's filter subject. */
  readonly filterSubject: string;

  constructor(contracts: readonly FeedContract<unknown>[]) {
    for (const contract of contracts) {
      const known = this.bySubject.get(contract.subject);
      if (known && known !== contract) throw new Error(`two event contracts for subject ${contract.subject}`);
      this.bySubject.set(contract.subject, contract);
    }
    this.filterSubject = coveringSubject([...this.bySubject.keys()]);
  }

  /** Every contract, once. */
  get all(): FeedContract<unknown>[] {
    return [...this.bySubject.values()];
  }

  /** Null for a subject none of the contracts is for; throws on a malformed event. */
  read(message: JsMsg): FeedEvent | null {
    const contract = this.bySubject.get(message.subject);
    if (!contract) return null;
    const envelope = contract.parse(message.json());
    return {
      seq: message.seq,
      eventId: envelope.id,
      subject: message.subject,
      contract,
      data: envelope.data,
      occurredAt: Date.parse(envelope.occurredAt),
      traceHeaders: traceHeadersOfMessage(message.headers),
    };
  }

  /** As `read`, but a malformed event is logged and skipped (null), live or replayed alike. */
  readOrSkip(message: JsMsg, logger: Logger): FeedEvent | null {
    try {
      return this.read(message);
    } catch (error) {
      logger.warn({ err: error, seq: message.seq, subject: message.subject }, "skipping a malformed event");
      return null;
    }
  }
}
