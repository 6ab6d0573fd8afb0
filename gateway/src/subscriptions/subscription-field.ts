import type { ExecutionResult } from "graphql";
import type { EventContract, Viewer } from "@asky/contracts";
import { FeedContracts } from "./feed-contracts.js";
import type { FeedEvent } from "./feed-event.js";

/** What the gateway needs of an event contract: its subject, and how to read what it carries. */
export type FeedContract<TData> = Pick<EventContract<TData>, "subject" | "parse">;

/** A subscription's filtering arguments as the client gave them (absent ones are left out). */
export type FieldFilter<TArgument extends string = string> = Readonly<Partial<Record<TArgument, string>>>;

/** Runs an operation as the subscriber, through the gateway's own planning. */
export type SubscriberQuery = (query: string, variables: Readonly<Record<string, unknown>>) => Promise<ExecutionResult>;

/**
 * One Subscription field, described in one file (fields/*.ts) and listed in the registry
 * (fields/index.ts). The engine around it knows no domain: it reads the field's events from the
 * stream, groups and fans out subscribers, replays after a cursor and resolves each payload by
 * running the field's payload query as the subscriber.
 */
export interface SubscriptionFieldDefinition<TData, TArgument extends string> {
  /** The Subscription field, as the supergraph names it. Every field also takes `after: String`. */
  readonly name: string;
  /** The events it delivers; the feed reads their subjects and parses each with its contract. */
  readonly events: readonly FeedContract<TData>[];
  /** Its filtering arguments (String or ID), besides `after`. */
  readonly filterArguments: readonly TArgument[];
  /**
   * At subscribe time, before anything is delivered: throws what the HTTP API would answer
   * for the same question (FORBIDDEN for another ward, NOT_FOUND for a hidden object).
   */
  authorize(subscription: { filter: FieldFilter<TArgument>; viewer: Viewer; query: SubscriberQuery }): Promise<void>;
  /** Per event, before any payload is resolved: whether the viewer may see it at all. */
  visibleTo(data: TData, viewer: Viewer): boolean;
  /** Per event: whether it is one the subscription's arguments ask for. */
  matches(data: TData, filter: FieldFilter<TArgument>): boolean;
  /**
   * The Query field that resolves one event as a payload, `(id: ID!, cursor: String)`, with the
   * subscriber's selection set: the subgraph owning the event answers null when the viewer may
   * not see it, and every other field of the payload is planned like any client query.
   */
  readonly payloadField: string;
}

/** A field as the engine holds it, whatever its event data type. */
export interface SubscriptionField {
  readonly name: string;
  /** The field's events, and the filter subject its replays read. */
  readonly contracts: FeedContracts;
  readonly filterArguments: readonly string[];
  readonly payloadField: string;
  authorize(subscription: { filter: FieldFilter; viewer: Viewer; query: SubscriberQuery }): Promise<void>;
  /** Whether a live or replayed event goes to a subscription with this filter and viewer. */
  routes(event: FeedEvent, filter: FieldFilter, viewer: Viewer): boolean;
}

export function defineSubscriptionField<TData, TArgument extends string>(
  definition: SubscriptionFieldDefinition<TData, TArgument>,
): SubscriptionField {
  const own = new Set<FeedContract<unknown>>(definition.events);
  return {
    name: definition.name,
    contracts: new FeedContracts(definition.events),
    filterArguments: definition.filterArguments,
    payloadField: definition.payloadField,
    authorize: (subscription) => definition.authorize(subscription),
    routes(event, filter, viewer) {
      if (!own.has(event.contract)) return false;
      // The feed parsed this event with `event.contract`, one of this field's own contracts,
      // so its data is this field's TData.
      const data = event.data as TData;
      return definition.visibleTo(data, viewer) && definition.matches(data, filter);
    },
  };
}
