import type { ExecutionResult } from "graphql";
import type { SerializedPayload } from "./next-frame.js";

/** Where a subscriber's payloads go: its client's socket, as `next` messages. */
export interface PayloadSink {
  /** Writes one payload; false when the client has fallen too far behind to take it. */
  send(payload: SerializedPayload): boolean;
}

/**
 * One client subscription. It delivers each stream sequence at most once and in order,
 * holds live events back while a resume replay runs, and writes payloads straight to the
 * client's socket through its sink instead of yielding them to graphql-ws, so that a payload
 * serialized once per group is not serialized again per subscriber. graphql-ws still owns
 * the subscription's life: it iterates this object, which yields nothing and finishes when
 * the subscription ends, and then sends `complete`.
 */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly heldBack: { seq: number; payload: SerializedPayload }[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  private replaying: boolean;
  private done = false;
  private lastSeq = 0;

  constructor(
    private readonly options: {
      /**
       * The stream sequence of the client's cursor when it resumes (`after`), else null. Set, the
       * subscriber starts in replay and never delivers a sequence at or before it: the cursor's
       * own event and those before it reached the client already, even if the live feed passes
       * them again (a feed reopened after a broker or stream mishap) while the replay finds
       * nothing to do.
       */
      resumeAfter: number | null;
      sink: PayloadSink;
      /** Called once when the client cannot keep up (its socket buffer is over the limit). */
      onOverflow: () => void;
      /** Called once when the subscription ends, for any reason. */
      onEnd: () => void;
    },
  ) {
    this.replaying = options.resumeAfter !== null;
    this.lastSeq = options.resumeAfter ?? 0;
  }

  /** True once the subscription has ended, for whatever reason. */
  get ended(): boolean {
    return this.done;
  }

  /** A live event's payload. */
  push(seq: number, payload: SerializedPayload): void {
    if (this.done) return;
    if (this.replaying) this.heldBack.push({ seq, payload });
    else this.deliver(seq, payload);
  }

  /** A replayed event's payload; replay runs in stream order. */
  pushReplayed(seq: number, payload: SerializedPayload): void {
    if (!this.done) this.deliver(seq, payload);
  }

  /** Skips a sequence the subscriber may not see, so held-back duplicates stay ordered. */
  advance(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  finishReplay(): void {
    this.replaying = false;
    for (const { seq, payload } of this.heldBack.sort((a, b) => a.seq - b.seq)) this.deliver(seq, payload);
    this.heldBack.length = 0;
  }

  /** Ends the subscription with a last payload (e.g. an error saying why). */
  endWith(payload: SerializedPayload): void {
    if (this.done) return;
    this.options.sink.send(payload);
    this.finish();
  }

  private deliver(seq: number, payload: SerializedPayload): void {
    if (this.done || seq <= this.lastSeq) return;
    this.lastSeq = seq;
    if (!this.options.sink.send(payload)) {
      this.finish();
      this.options.onOverflow();
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.heldBack.length = 0;
    this.options.onEnd();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
