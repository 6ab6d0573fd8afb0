import type { RevocationChecks } from "@asky/auth";
import { askyMeter } from "@asky/telemetry";

/**
 * Whether a subgraph's access revocation feed is proven complete, and since when. A subgraph
 * holds a person's internal token to their revocations as the gateway does; while its feed is
 * stale each such call asks the users service instead, and an operator should know before the
 * users service feels it. The gateway reports its own feed under asky_gateway_*.
 */
export function observeRevocationFeed(
  service: string,
  checks: Pick<RevocationChecks, "feedState" | "feedAgeMs">,
): void {
  const meter = askyMeter();
  const current = meter.createObservableGauge("asky_revocation_feed_current", {
    description:
      "1 while the service's access revocation feed is proven complete; 0 while tokens are checked with the users service instead",
  });
  const age = meter.createObservableGauge("asky_revocation_feed_age_seconds", {
    description:
      "Seconds since the service's access revocation feed was last proven complete (from the start of the process until it first is)",
    unit: "s",
  });
  meter.addBatchObservableCallback(
    (result) => {
      result.observe(current, checks.feedState() === "current" ? 1 : 0, { service });
      result.observe(age, checks.feedAgeMs() / 1_000, { service });
    },
    [current, age],
  );
}
