/**
 * The suite drives gateways from one address as five people, hundreds of requests a second
 * (500 subscriptions as one pharmacist, tables of hostile input): far past what the rate
 * limits grant a person. Gateways started by the suite get allowances that never refuse;
 * the limits themselves are tested on replicas started with small ones (gateway-hardening).
 */
export const liftedRateLimits: Readonly<Record<string, string>> = {
  RATE_LIMIT_ADDRESS_BURST: "1000000",
  RATE_LIMIT_ADDRESS_PER_SECOND: "1000000",
  RATE_LIMIT_USER_BURST: "1000000",
  RATE_LIMIT_USER_PER_SECOND: "1000000",
  COST_LIMIT_USER_BURST: "1000000000",
  COST_LIMIT_USER_PER_SECOND: "1000000000",
};
