/**
 * The last event cursor a subscription delivered, and the judge of what is new. A resumed
 * subscription replays from `after` and a reconnecting transport may replay more than once,
 * so an event at or before the last one delivered is dropped: the app sees each event once.
 *
 * Cursors are opaque to clients by contract. The gateway's encode a position in its event
 * stream (base64url "seq:<n>"); when both cursors read that way they are compared by
 * position, otherwise only an exact repeat of a recent cursor is dropped.
 */
import { decodeBase64Url } from "../base64url.js";

const recentLimit = 1_000;

export function cursorPosition(cursor: string): number | null {
  const text = decodeBase64Url(cursor);
  const match = text === null ? null : /^seq:(\d{1,15})$/.exec(text);
  return match ? Number(match[1]) : null;
}

export class CursorTracker {
  private lastCursor: string | null;
  private readonly recent = new Set<string>();

  constructor(initial: string | null = null) {
    this.lastCursor = initial;
    if (initial !== null) this.recent.add(initial);
  }

  /** The cursor to resume after (null: from now). */
  get last(): string | null {
    return this.lastCursor;
  }

  /** True (and remembered) when the event at `cursor` was not delivered yet. */
  accept(cursor: string): boolean {
    const position = cursorPosition(cursor);
    const lastPosition = this.lastCursor === null ? null : cursorPosition(this.lastCursor);
    if (position !== null && lastPosition !== null) {
      if (position <= lastPosition) return false;
    } else if (this.recent.has(cursor)) {
      return false;
    }
    this.lastCursor = cursor;
    this.recent.add(cursor);
    if (this.recent.size > recentLimit) {
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    return true;
  }

  /** After a resync: the next subscription starts from now. */
  reset(): void {
    this.lastCursor = null;
    this.recent.clear();
  }
}
