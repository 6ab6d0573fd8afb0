// Spare subgraph processes live in the shared harness; kept at this path for the tests that import it here.
export { startReplica, type Replica } from "@asky/stack/testing";
