/**
 * Rate allowances that never refuse, for gateways driven far past what the limits grant a
 * person: the test suite drives them from one address as five people, hundreds of requests a
 * second (500 subscriptions as one pharmacist, tables of hostile input), and the bench as one
 * nurse, so that the limits' bookkeeping is measured but not their refusals. The limits
 * themselves are tested on replicas started with small ones (gateway-hardening).
 */
export const liftedRateLimits: Readonly<Record<string, string>> = {
  RATE_LIMIT_ADDRESS_BURST: "1000000",
  RATE_LIMIT_ADDRESS_PER_SECOND: "1000000",
  RATE_LIMIT_USER_BURST: "1000000",
  RATE_LIMIT_USER_PER_SECOND: "1000000",
  COST_LIMIT_USER_BURST: "1000000000",
  COST_LIMIT_USER_PER_SECOND: "1000000000",
};
