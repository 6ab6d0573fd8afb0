// The demo accounts' sign-ins live in the shared harness; kept at this path for the tests that import it here.
export { DEMO_PASSWORD, demoToken, type DemoAccount } from "@asky/stack/testing";
