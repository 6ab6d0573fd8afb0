import type { ExecutionResult } from "graphql";
import type { Logger } from "@asky/runtime";
import type { GatewayContext } from "../context.js";
import type { GatewayMetrics } from "../metrics.js";
import type { EventFeed } from "./event-feed.js";
import { inEventSpan, startEventSpan } from "./event-span.js";
import type { FeedEvent, PayloadSource } from "./feed-event.js";
import { serializePayload } from "./next-frame.js";
import type { ReplayRuns } from "./replay-runs.js";
import { Subscriber, type PayloadSink } from "./subscriber.js";
import type { SubscriptionPlan } from "./subscription-plan.js";

/** Resolves one event's payload for a plan as a given subscriber; null when not visible. */
export type PayloadExecutor = (
  plan: SubscriptionPlan,
  event: PayloadSource,
  context: GatewayContext,
) => Promise<ExecutionResult | null>;

/** No event has the nil id: the subgraph owning the payload field answers null at once. */
const probeEvent: PayloadSource = { seq: 0, eventId: "00000000-0000-0000-0000-000000000000" };

interface Group {
  readonly plan: SubscriptionPlan;
  /** Any member's context: members share role, ward (and id when it matters). */
  readonly context: GatewayContext & { viewer: NonNullable<GatewayContext["viewer"]> };
  readonly members: Set<Subscriber>;
  /** Events are resolved one after another per group, so members get them in order. */
  chain: Promise<void>;
}

/**
 * Routes live events to subscription groups and resolves each event once per group
 * (same operation, variables and authorization scope), then fans the result out: a
 * thousand screens on the pharmacy board cost one execution per event, not a thousand.
 */
export class SubscriptionHub {
  private readonly groups = new Map<string, Group>();

  constructor(
    feed: EventFeed,
    private readonly execute: PayloadExecutor,
    private readonly replays: ReplayRuns,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {
    feed.onEvent((event) => this.dispatch(event));
  }

  subscribe(
    plan: SubscriptionPlan,
    context: Group["context"],
    sink: PayloadSink,
    hooks: { onOverflow: () => void; onEnd: (subscriber: Subscriber) => void },
  ): Subscriber {
    let group = this.groups.get(plan.groupKey);
    if (!group) {
      group = { plan, context, members: new Set(), chain: Promise.resolve() };
      this.groups.set(plan.groupKey, group);
      group.chain = this.prepare(group);
    }
    const owner = group;
    const subscriber = new Subscriber({
      resumeAfter: plan.afterSeq,
      sink,
      onOverflow: hooks.onOverflow,
      onEnd: () => {
        hooks.onEnd(subscriber);
        owner.members.delete(subscriber);
        if (owner.members.size === 0 && this.groups.get(plan.groupKey) === owner) this.groups.delete(plan.groupKey);
        this.metrics.activeSubscriptions.add(-1);
      },
    });
    group.members.add(subscriber);
    this.metrics.activeSubscriptions.add(1);
    if (plan.afterSeq !== null) this.replays.start(plan, plan.afterSeq, context, subscriber);
    return subscriber;
  }

  /** Whether a group of this key has members now (authorize-subscription.ts). */
  serves(groupKey: string): boolean {
    return this.groups.has(groupKey);
  }

  /** Ends every subscription whose plan no longer holds, e.g. after a supergraph reload. */
  endWhere(predicate: (plan: SubscriptionPlan) => boolean, result: ExecutionResult): number {
    let ended = 0;
    const payload = serializePayload(result);
    for (const group of [...this.groups.values()]) {
      if (!predicate(group.plan)) continue;
      for (const member of [...group.members]) {
        member.endWith(payload);
        ended += 1;
      }
    }
    return ended;
  }

  /**
   * Queues the event on every group it is for, all under one span (event-span.ts) that ends
   * when the last of them has written it to its subscribers, and in which the payload
   * executions run, so that their query plans and subgraph calls join the event's trace.
   */
  private dispatch(event: FeedEvent): void {
    const routed = [...this.groups.values()].filter((group) =>
      group.plan.field.routes(event, group.plan.filter, group.context.viewer),
    );
    if (routed.length === 0) return;
    const span = startEventSpan(event, routed.length);
    const resolved = routed.map((group) => {
      const done = group.chain.then(() => inEventSpan(span, () => this.resolveFor(group, event)));
      group.chain = done.then(() => undefined);
      return done;
    });
    void Promise.all(resolved).then((ok) => span.end(ok.every(Boolean)));
  }

  /**
   * Runs a new group's payload query once for an event that cannot exist, so that query
   * planning (tens of milliseconds for a federated selection) happens at subscribe time
   * and not while the first real event waits.
   */
  private async prepare(group: Group): Promise<void> {
    try {
      await this.execute(group.plan, probeEvent, group.context);
    } catch (error) {
      this.logger.warn({ err: error }, "could not prepare a subscription payload query");
    }
  }

  /** Resolves the event's payload for the group and writes it to every member; false when it failed. */
  private async resolveFor(group: Group, event: FeedEvent): Promise<boolean> {
    if (group.members.size === 0) return true;
    try {
      const started = performance.now();
      const result = await this.execute(group.plan, event, group.context);
      this.metrics.payloadExecutions.add(1);
      this.metrics.payloadSeconds.add((performance.now() - started) / 1_000);
      const payload = result ? serializePayload(result) : null;
      for (const member of group.members) {
        if (payload) member.push(event.seq, payload);
        else member.advance(event.seq);
      }
      this.metrics.fanoutDuration.record((performance.now() - started) / 1_000);
      // The commit's clock is the producing database's, this one the gateway's: clamped at 0.
      const lag = Math.max(0, Date.now() - event.occurredAt) / 1_000;
      if (Number.isFinite(lag)) {
        this.metrics.eventToFanoutSeconds.add(lag);
        this.metrics.eventLag.record(lag);
      }
      return true;
    } catch (error) {
      this.logger.error({ err: error, seq: event.seq }, "could not resolve a subscription payload");
      return false;
    }
  }
}
