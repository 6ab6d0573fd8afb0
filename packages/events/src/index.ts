// NATS JetStream plumbing: outbox, relay, durable consumers, ordered feeds.
export { appendEvent } from "./append-event.js";
export { Backoff, Pause, type BackoffOptions } from "./backoff.js";
export { watchDispensersInvalidations, type InvalidationHandlers } from "./cache/dispensers-invalidation.js";
export {
  startDurableConsumer,
  type TransactionOf,
  type DurableConsumerOptions,
  type DurableConsumer,
} from "./durable-consumer.js";
export { STREAM_NAME, STREAM_SUBJECTS, connectNats, type NatsConnection } from "./nats.js";
export {
  ensureStream,
  StreamReplicasError,
  type EnsureStreamOptions,
  type StreamReplicasErrorCode,
} from "./ensure-stream.js";
export { onReconnect } from "./on-reconnect.js";
export {
  orderedFeedDefaults,
  startOrderedFeed,
  type FeedStart,
  type OrderedFeedOptions,
  type OrderedFeed,
} from "./ordered-feed.js";
export { startOutboxRelay, type OutboxRelayOptions, type OutboxRelay } from "./outbox-relay.js";
export {
  column,
  outboxChannel,
  type OutboxTable,
  type ProcessedEventsTable,
  type SqlExecutor,
} from "./outbox-table.js";
export { createPublisher, type OutboxRow, type PublisherOptions } from "./publisher.js";
export { sequenceAtTime } from "./stream-position.js";
export { traceHeadersOfMessage } from "./trace-headers.js";
