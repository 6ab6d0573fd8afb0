/**
 * A reports replica exports asky_webhook_attempts_total for every result from its start, before
 * any attempt: AskyWebhookDeliveriesFailed takes increase() over the failed series, which sees
 * the first failure only if the series existed before it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayMetrics, samplesOf, startReplica, testStack, typeOf, type Replica } from "@asky/stack/testing";

let replica: Replica;

beforeAll(async () => {
  replica = await startReplica("reports", { METRICS_TOKEN: testStack().metricsToken });
}, 120_000);

afterAll(async () => {
  await replica?.stop();
});

describe("asky_webhook_attempts_total", () => {
  it("is a counter with a series for each result from the start", async () => {
    const text = await gatewayMetrics(replica.url);
    expect(typeOf(text, "asky_webhook_attempts_total")).toBe("counter");
    const results = samplesOf(text)
      .filter((sample) => sample.name === "asky_webhook_attempts_total")
      .map(({ labels }) => labels["result"]);
    expect(results.sort()).toEqual(["delivered", "failed", "retry"]);
  });
});
