// A private database lives in the shared harness; kept at this path for the tests that import it here.
export { privateDatabase, type PrivateDatabase } from "@asky/stack/testing";
