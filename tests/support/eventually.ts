// Kept at this path for the tests that import it here; the helper lives in the shared harness.
export { eventually } from "@asky/stack/testing";
