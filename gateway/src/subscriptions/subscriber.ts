import type { ExecutionResult } from "graphql";

/**
 * One client subscription: an async iterator that graphql-ws pulls from. It delivers each
 * stream sequence at most once and in order, holds live events back while a resume
 * replay runs, and never grows past `maxQueued`: a client that stops reading is cut off
 * instead of growing the gateway's memory.
 */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private readonly heldBack: { seq: number; result: ExecutionResult }[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  private replaying: boolean;
  private done = false;
  private lastSeq = 0;

  constructor(
    private readonly options: {
      maxQueued: number;
      replaying: boolean;
      /** Called once when the subscriber falls too far behind. */
      onOverflow: () => void;
      /** Called once when the subscription ends, for any reason. */
      onEnd: () => void;
    },
  ) {
    this.replaying = options.replaying;
  }

  /** A live event's payload. */
  push(seq: number, result: ExecutionResult): void {
    if (this.done) return;
    if (this.replaying) this.heldBack.push({ seq, result });
    else this.deliver(seq, result);
  }

  /** A replayed event's payload; replay runs in stream order. */
  pushReplayed(seq: number, result: ExecutionResult): void {
    if (!this.done) this.deliver(seq, result);
  }

  /** Skips a sequence the subscriber may not see, so held-back duplicates stay ordered. */
  advance(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  finishReplay(): void {
    this.replaying = false;
    for (const { seq, result } of this.heldBack.sort((a, b) => a.seq - b.seq)) this.deliver(seq, result);
    this.heldBack.length = 0;
  }

  /** Ends the subscription with a last result (e.g. an error saying why). */
  endWith(result: ExecutionResult): void {
    if (this.done) return;
    this.enqueue(result);
    this.finish();
  }

  private deliver(seq: number, result: ExecutionResult): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    if (this.queue.length >= this.options.maxQueued) {
      this.finish();
      this.options.onOverflow();
      return;
    }
    this.enqueue(result);
  }

  private enqueue(result: ExecutionResult): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
    } else {
      this.queue.push(result);
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.heldBack.length = 0;
    this.options.onEnd();
    if (this.waiting && this.queue.length === 0) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
