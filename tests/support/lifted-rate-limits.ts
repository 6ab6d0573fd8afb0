// The suite's rate allowances live in the shared harness (its extra gateways use them too).
export { liftedRateLimits } from "@asky/stack/testing";
