export * from "./envelope.js";
export * from "./outbox-table.js";
export * from "./append-event.js";
export * from "./backoff.js";
export * from "./outbox-relay.js";
export * from "./durable-consumer.js";
export * from "./subjects.js";
