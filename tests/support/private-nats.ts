// A restartable private nats-server lives in the shared harness; kept at this path for the tests that import it here.
export { startPrivateNats, type PrivateNats } from "@asky/stack/testing";
