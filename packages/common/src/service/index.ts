export * from "./define-subgraph.js";
export * from "./event-consumer.js";
export * from "./start-order.js";
export * from "./stop-order.js";
export * from "./subgraph-config.js";
export * from "./subgraph-runtime.js";
