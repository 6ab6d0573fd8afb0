// Requests through the real gateway live in the shared harness, where root scenarios use them too.
export { changeStatus, createRequest, fixtureFor, type Fixture } from "@asky/stack/testing";
