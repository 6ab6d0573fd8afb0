/**
 * The turnaround clock's metrics on the requests service's /metrics: the warnings and breaches
 * it marked (by type, stage and priority, every series exported from the start), whether this
 * replica holds the lease (exactly one of two replicas does), and how long its passes take.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayMetrics, samplesOf, startReplica, sumOf, testStack, typeOf, type Replica } from "@asky/stack/testing";
import { admin, adminPool, create, dipirona, eventually, newCabinet, ok, pharmacist } from "./support.js";

const stack = testStack();
const pool = adminPool();
const defaultStat = { acceptWithinSeconds: 300, dispatchWithinSeconds: 900, deliverWithinSeconds: 1800 };
const setPolicy = (windows: typeof defaultStat) =>
  ok(admin, `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { kind } }`, {
    input: { kind: "MEDICATION", priority: "STAT", ...windows },
  });

let replica: Replica;
const scrape = () => gatewayMetrics(stack.subgraphUrls.requests);
const marks = (text: string, type: string) =>
  sumOf(text, "asky_sla_marks_total", { type, stage: "ACCEPT", priority: "STAT" });

beforeAll(async () => {
  // A second replica, competing for the lease the stack's own service has held since it started.
  replica = await startReplica("requests", { METRICS_TOKEN: stack.metricsToken });
}, 120_000);

afterAll(async () => {
  await setPolicy(defaultStat);
  await replica?.stop();
  await pool.end();
});

describe("the turnaround clock's metrics", () => {
  it("export every mark series from the start, and the lease held by exactly one replica", async () => {
    const [own, other] = await Promise.all([scrape(), gatewayMetrics(replica.url)]);
    for (const text of [own, other]) {
      expect(typeOf(text, "asky_sla_marks_total")).toBe("counter");
      expect(typeOf(text, "asky_sla_clock_lease_held")).toBe("gauge");
      // 2 types x 3 stages x 4 priorities, at 0 on the replica that never marked anything.
      const series = samplesOf(text)
        .filter((sample) => sample.name === "asky_sla_marks_total")
        .map(({ labels }) => `${labels["type"]} ${labels["stage"]} ${labels["priority"]}`);
      for (const type of ["warning", "breached"])
        for (const stage of ["ACCEPT", "DISPATCH", "DELIVER"])
          for (const priority of ["STAT", "ASAP", "URGENT", "ROUTINE"])
            expect(series).toContain(`${type} ${stage} ${priority}`);
    }
    expect(sumOf(other, "asky_sla_marks_total")).toBe(0);
    expect(sumOf(own, "asky_sla_clock_lease_held") + sumOf(other, "asky_sla_clock_lease_held")).toBe(1);
    expect(sumOf(own, "asky_sla_clock_lease_held")).toBe(1);
  });

  it("count a STAT request's warning and breach, and the holder's passes", async () => {
    const before = await scrape();
    await setPolicy({ acceptWithinSeconds: 3, dispatchWithinSeconds: 4, deliverWithinSeconds: 5 });
    const request = await create(pharmacist, {
      kind: "MEDICATION",
      priority: "STAT",
      dispenserId: await newCabinet("CLINICA-MEDICA"),
      items: [{ itemId: dipirona, quantity: 1 }],
    });
    await eventually(
      async () => {
        const { rows } = await pool.query(`select sla_breached_at from requests.requests where id = $1`, [request.id]);
        return rows[0]?.sla_breached_at !== null;
      },
      60_000,
      "the breach to be marked",
    );
    // Counted after the commit of the mark: scrape until it shows.
    const after = await eventually(
      async () => {
        const text = await scrape();
        return marks(text, "breached") > marks(before, "breached") ? text : null;
      },
      15_000,
      "the breach to be counted",
    );
    expect(marks(after, "warning")).toBeGreaterThan(marks(before, "warning"));
    const passes = (text: string) => sumOf(text, "asky_sla_clock_pass_duration_seconds_count", { outcome: "ok" });
    expect(passes(after)).toBeGreaterThan(passes(before));
    expect(typeOf(after, "asky_sla_clock_pass_duration_seconds")).toBe("histogram");
    // The other replica marked nothing and passed nothing: it does not hold the lease.
    const other = await gatewayMetrics(replica.url);
    expect(sumOf(other, "asky_sla_marks_total")).toBe(0);
    expect(sumOf(other, "asky_sla_clock_pass_duration_seconds_count")).toBe(0);
  });
});
