import { describe, expect, it } from "vitest";
import { StopOrder, stopStages, type StopStage } from "../../src/stop-order.js";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/** A part that records when its close began and ended, after a few milliseconds of work. */
function recorder(log: string[]) {
  return (name: string, options: { fail?: boolean } = {}) =>
    async () => {
      log.push(`begin ${name}`);
      await tick();
      log.push(`end ${name}`);
      if (options.fail) throw new Error(`${name} failed`);
    };
}

describe("the stop order", () => {
  it("lets consumers and jobs finish before HTTP, HTTP before the pools, the pools before the relay and NATS", async () => {
    const log: string[] = [];
    const part = recorder(log);
    const stop = new StopOrder();
    // Filed in start order, which is not the stop order.
    stop.add("nats", "nats", part("nats"));
    stop.add("databases", "service pool", part("pool"));
    stop.add("collaborators", "revocation checks", part("revocations"));
    stop.add("http", "http", part("http"));
    stop.add("background", "consumer", part("consumer"));
    stop.add("databases", "consumer pool", part("consumer pool"));
    stop.add("background", "job", part("job"));
    stop.add("relay", "relay", part("relay"));
    stop.add("answers", "watermarks", part("watermarks"));
    await stop.close();
    expect(log).toEqual([
      "begin consumer",
      "begin job",
      "end consumer",
      "end job",
      "begin http",
      "end http",
      "begin watermarks",
      "end watermarks",
      "begin revocations",
      "end revocations",
      "begin pool",
      "begin consumer pool",
      "end pool",
      "end consumer pool",
      "begin relay",
      "end relay",
      "begin nats",
      "end nats",
    ]);
  });

  it("names every stage once, consumers and jobs first and NATS last", () => {
    expect(new Set(stopStages).size).toBe(stopStages.length);
    expect(stopStages[0]).toBe<StopStage>("background");
    expect(stopStages.indexOf("http")).toBeLessThan(stopStages.indexOf("databases"));
    expect(stopStages.indexOf("databases")).toBeLessThan(stopStages.indexOf("relay"));
    expect(stopStages.at(-1)).toBe<StopStage>("nats");
  });

  it("closes every part when some fail, then rejects with each failure", async () => {
    const log: string[] = [];
    const part = recorder(log);
    const stop = new StopOrder();
    stop.add("background", "consumer", part("consumer", { fail: true }));
    stop.add("http", "http", { close: part("http") });
    stop.add("nats", "nats", () => {
      throw new Error("nats failed at once");
    });
    const failure = await stop.close().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors.map((error: Error) => error.message)).toEqual([
      "consumer failed",
      "nats failed at once",
    ]);
    expect(log).toEqual(["begin consumer", "end consumer", "begin http", "end http"]);
  });

  it("closes once however often it is asked, and refuses parts started after", async () => {
    let closes = 0;
    const stop = new StopOrder();
    stop.add("http", "http", async () => {
      closes += 1;
      await tick();
    });
    const first = stop.close();
    const second = stop.close();
    expect(second).toBe(first);
    await Promise.all([first, second, stop.close()]);
    expect(closes).toBe(1);
    expect(() => stop.add("background", "late consumer", async () => undefined)).toThrow(
      /after the service began to stop/,
    );
  });

  it("closes only what a failed start had opened", async () => {
    const log: string[] = [];
    const part = recorder(log);
    const stop = new StopOrder();
    stop.add("nats", "nats", part("nats"));
    stop.add("databases", "service pool", part("pool"));
    // HTTP never listened: the start failed here.
    await stop.close();
    expect(log).toEqual(["begin pool", "end pool", "begin nats", "end nats"]);
  });
});
