import { GraphQLError } from "graphql";
import { ErrorCode, errors, type Logger } from "@asky/runtime";
import type { GatewayContext } from "../context.js";
import type { EventFeed } from "./event-feed.js";
import type { FeedEvent } from "./feed-event.js";
import { KeyedLimiter } from "./keyed-limiter.js";
import { serializePayload, type SerializedPayload } from "./next-frame.js";
import type { ReplayBounds } from "./stream-replay.js";
import type { Subscriber } from "./subscriber.js";
import type { SubscriptionPlan } from "./subscription-plan.js";
import type { PayloadExecutor } from "./subscription-hub.js";

type SignedInContext = GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> };

export interface ReplayLimits extends ReplayBounds {
  /** Replays of one user that run at once; the others wait. */
  readonly perUser: number;
}

/** One replay of one plan group after one cursor, shared by every subscriber asking for it. */
interface Run {
  readonly key: string;
  readonly plan: SubscriptionPlan;
  readonly afterSeq: number;
  readonly context: SignedInContext;
  readonly members: Set<Subscriber>;
  /** Payloads replayed so far, for subscribers that join while the run is under way. */
  readonly replayed: { seq: number; payload: SerializedPayload }[];
  /** Last sequence the run will replay, fixed when it starts; live delivery covers the rest. */
  until: number | null;
  /** Last sequence the run has processed (replayed, or skipped as not visible). */
  processed: number;
}

/**
 * Resume replays. After a gateway restart every screen of a ward reconnects with the same
 * last cursor: they share one read of the stream and one payload execution per missed
 * event, as live events are shared per group. A replay runs only within the bounds
 * (events, age) past which reloading is cheaper and surer than replaying; beyond them the
 * subscription ends with RESYNC_REQUIRED.
 */
export class ReplayRuns {
  private readonly runs = new Map<string, Run>();
  private readonly perUser: KeyedLimiter;

  constructor(
    private readonly feed: EventFeed,
    private readonly execute: PayloadExecutor,
    private readonly limits: ReplayLimits,
    private readonly logger: Logger,
  ) {
    this.perUser = new KeyedLimiter(limits.perUser);
  }

  /** Replays to `subscriber` what `plan` missed after its cursor, then lets live events through. */
  start(plan: SubscriptionPlan, afterSeq: number, context: SignedInContext, subscriber: Subscriber): void {
    const key = `${plan.groupKey}:${afterSeq}`;
    const current = this.runs.get(key);
    // A run that fixed its end before the latest live event would leave this subscriber a
    // gap (the event reached the group before it joined): such a run takes no one new.
    if (current && (current.until === null || current.until >= this.feed.lastSeq)) {
      this.join(current, subscriber);
      return;
    }
    const run: Run = {
      key,
      plan,
      afterSeq,
      context,
      members: new Set([subscriber]),
      replayed: [],
      until: null,
      processed: afterSeq,
    };
    this.runs.set(key, run);
    this.perUser.run(context.viewer.id, () => this.run(run));
  }

  private join(run: Run, subscriber: Subscriber): void {
    for (const { seq, payload } of run.replayed) subscriber.pushReplayed(seq, payload);
    subscriber.advance(run.processed);
    run.members.add(subscriber);
  }

  /**
   * Drops members that ended. With none left the run is forgotten at once, in the same turn,
   * so that no subscriber joins a run that is about to stop.
   */
  private wanted(run: Run): boolean {
    for (const member of run.members) if (member.ended) run.members.delete(member);
    if (run.members.size > 0) return true;
    this.forget(run);
    return false;
  }

  private forget(run: Run): void {
    if (this.runs.get(run.key) === run) this.runs.delete(run.key);
  }

  private async run(run: Run): Promise<void> {
    try {
      if (!this.wanted(run)) return;
      run.until = this.feed.lastSeq;
      const window = { afterSeq: run.afterSeq, until: run.until };
      const outcome = await this.feed.replay(run.plan.field.contracts, window, this.limits, (event) =>
        this.replayEvent(run, event),
      );
      switch (outcome.kind) {
        case "replayed":
          for (const member of run.members) member.finishReplay();
          break;
        case "stopped":
          break;
        case "resync":
          this.endAll(
            run,
            errors.badUserInput(
              `Cannot replay the missed events (${outcome.why}): reload, then subscribe without \`after\``,
              {
                reason: "RESYNC_REQUIRED",
                argument: "after",
              },
            ),
          );
          break;
        default:
          outcome satisfies never;
      }
    } catch (error) {
      this.logger.error({ err: error, afterSeq: run.afterSeq }, "subscription replay failed");
      this.endAll(
        run,
        new GraphQLError("Could not replay missed events; resubscribe", {
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
        }),
      );
    } finally {
      this.forget(run);
    }
  }

  private async replayEvent(run: Run, event: FeedEvent): Promise<boolean> {
    if (!this.wanted(run)) return false;
    const { plan, context } = run;
    const result = plan.field.routes(event, plan.filter, context.viewer)
      ? await this.execute(plan, event, context)
      : null;
    run.processed = event.seq;
    if (!result) {
      for (const member of run.members) member.advance(event.seq);
      return true;
    }
    const payload = serializePayload(result);
    run.replayed.push({ seq: event.seq, payload });
    for (const member of run.members) member.pushReplayed(event.seq, payload);
    return true;
  }

  private endAll(run: Run, error: GraphQLError): void {
    const payload = serializePayload({ errors: [error] });
    for (const member of run.members) member.endWith(payload);
  }
}
