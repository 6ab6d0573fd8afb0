/**
 * A subscription that survives its transport: it remembers the last cursor delivered, and
 * after any reconnect subscribes again with `after` = that cursor, so the gateway replays
 * what was missed; events at or before it are dropped, so none arrives twice. An expired or
 * refused token (close 4401, UNAUTHENTICATED) refreshes the session and resumes at once; a
 * refusal to replay (RESYNC_REQUIRED) starts again from now and calls `resync`, so the app
 * reloads rather than silently miss events.
 */
import type { AskyClientError } from "../errors.js";
import { backoffDelay, type RetryPolicy } from "../retry.js";
import type { Session } from "../session.js";
import type { OperationPayload } from "../operation-payload.js";
import { assertNever } from "../assert-never.js";
import { classifyFailure } from "./failure-kind.js";
import { CursorTracker } from "./cursor-tracker.js";
import type { SubscriptionTransport, TransportResult, TransportSubscription } from "./transport.js";

/** A subscription open this long counts as having worked, even on a quiet feed. */
const stableAfterMs = 30_000;

export interface SubscriptionObserver<TData> {
  /** Each event once, in order. */
  next(data: TData): void;
  /** The subscription ended for good (refused, session ended); nothing more arrives. */
  error?(error: AskyClientError): void;
  /**
   * The server could not replay what was missed: the subscription goes on from now, and the
   * app must reload what it shows. Without this callback the subscription ends with `error`.
   */
  resync?(error: AskyClientError): void;
  /** The transport failed and the subscription will resume after a back-off. */
  reconnecting?(error: AskyClientError, delayMs: number): void;
  /**
   * Where the subscription's transport stands, told on each change: `connecting` (first
   * attempt), `connected` (graphql-ws: the socket was acknowledged; graphql-sse: the stream
   * was accepted), `reconnecting` (lost, or ended to refresh the token or resync; resumes by
   * itself) and `closed` (stopped, or ended for good: `error` says why). An app clears its
   * "reconnecting" notice on `connected`, also on a quiet feed that sends no event.
   */
  connection?(state: ConnectionState): void;
  /**
   * The gateway confirmed the subscription is in place, so an event from now on is not
   * missed (graphql-sse: its stream's response). graphql-ws acknowledges the socket, never a
   * subscribe, so over WebSockets this is never called; `connected` is the nearest there.
   */
  subscribed?(): void;
}

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "closed";

export interface ResumableOptions<TData> {
  transport: SubscriptionTransport;
  session: Session;
  /** The wire payload for a (re)subscription resuming after `after`, by hash or by text. */
  payload: (after: string | null, persisted: boolean) => OperationPayload;
  persisted: boolean;
  /** Where the event is in the data: its `cursor` is read there. */
  rootField: string;
  initialAfter: string | null;
  observer: SubscriptionObserver<TData>;
  reconnect: RetryPolicy;
  random?: () => number;
}

export function resumableSubscription<TData>(options: ResumableOptions<TData>): () => void {
  const { observer, session } = options;
  const cursors = new CursorTracker(options.initialAfter);
  let persisted = options.persisted;
  let stopped = false;
  let generation = 0;
  let current: TransportSubscription | null = null;
  let failures = 0;
  let openedAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let state: ConnectionState | null = null;

  const report = (next: ConnectionState): void => {
    if (state === next || state === "closed") return;
    state = next;
    observer.connection?.(next);
  };

  const stop = (): void => {
    stopped = true;
    generation++;
    if (timer !== null) clearTimeout(timer);
    current?.dispose();
    current = null;
    report("closed");
  };

  const fail = (error: AskyClientError): void => {
    stop();
    observer.error?.(error);
  };

  const open = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    const mine = ++generation;
    try {
      // Refreshes first when the token is about to expire; a refused refresh ends the subscription.
      await session.accessToken();
    } catch (error) {
      if (mine === generation) void onFailure(error, null);
      return;
    }
    if (stopped || mine !== generation) return;
    openedAt = Date.now();
    let subscription: TransportSubscription | null = null;
    subscription = options.transport.subscribe(options.payload(cursors.last, persisted), {
      next: (result) => {
        if (mine === generation) onResult(result, subscription);
      },
      error: (error) => {
        if (mine === generation) void onFailure(error, subscription);
      },
      // The fields never end by themselves: a completion is the connection going away.
      complete: () => {
        if (mine === generation) void onFailure(new Error("The server ended the subscription"), subscription);
      },
      connected: (subscribed) => {
        if (mine !== generation) return;
        report("connected");
        if (subscribed) observer.subscribed?.();
      },
    });
    current = subscription;
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void open(), delayMs);
  };

  const onResult = (result: TransportResult, from: TransportSubscription | null): void => {
    if (result.errors && result.errors.length > 0) {
      void onFailure([...result.errors], from);
      return;
    }
    const event = result.data?.[options.rootField];
    const cursor = typeof event === "object" && event !== null ? (event as { cursor?: unknown }).cursor : undefined;
    if (typeof cursor === "string" && !cursors.accept(cursor)) return;
    failures = 0;
    observer.next(result.data as TData);
  };

  const onFailure = async (failure: unknown, from: TransportSubscription | null): Promise<void> => {
    if (stopped) return;
    // Whatever comes next on this subscription is ignored: it is replaced or ended.
    generation++;
    const usedToken = from?.token() ?? null;
    from?.dispose();
    if (current === from) current = null;
    const { kind, error } = classifyFailure(failure);
    // Every kind but fatal goes on by itself; fail() reports `closed`.
    if (kind !== "fatal") report("reconnecting");
    // A subscription that ran a while before failing starts its back-off afresh.
    if (Date.now() - openedAt > stableAfterMs) failures = 0;
    failures++;
    switch (kind) {
      case "refresh":
        try {
          await session.refresh(usedToken ?? "");
        } catch (refreshError) {
          const refused = classifyFailure(refreshError);
          if (refused.error.code === "UNAUTHENTICATED") return fail(refused.error);
          return retryLater(refused.error);
        }
        // A server that refuses fresh tokens too must not be hammered: back off after the first.
        return failures > 1 ? retryLater(error) : schedule(0);
      case "resume":
        return retryLater(error);
      case "unpersist":
        persisted = false;
        return schedule(0);
      case "resync":
        if (!observer.resync) return fail(error);
        cursors.reset();
        // Subscribe from now before the app reloads, so nothing falls between the two.
        schedule(0);
        observer.resync(error);
        return;
      case "fatal":
        return fail(error);
      default:
        return assertNever(kind, "failure kind");
    }
  };

  const retryLater = (error: AskyClientError): void => {
    if (failures >= options.reconnect.attempts) return fail(error);
    const delay = backoffDelay(failures - 1, options.reconnect, options.random);
    observer.reconnecting?.(error, delay);
    schedule(delay);
  };

  report("connecting");
  void open();
  return stop;
}
