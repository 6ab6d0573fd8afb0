/**
 * The watch behind the liveness route, against this process's real event loop: a
 * synchronous busy loop blocks it exactly as a runaway computation in a service would.
 */
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { EventLoopWatch } from "../../src/event-loop-watch.js";

/** Keeps the event loop from turning for `ms`, as a stalled service does. */
function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins += 1;
  expect(spins).toBeGreaterThan(0);
}

const maxDelayMs = 400;
const windowMs = 2_000;
const sampleMs = 20;
let watch: EventLoopWatch | undefined;
afterEach(() => watch?.close());

describe("EventLoopWatch", () => {
  it("is not stalled while the loop turns, nor after a block shorter than its bound", async () => {
    watch = new EventLoopWatch({ maxDelayMs, windowMs, sampleMs });
    await sleep(100);
    expect(watch.reading()).toEqual({ stalled: false, blockedMs: 0 });
    blockEventLoop(maxDelayMs / 4);
    await sleep(100);
    expect(watch.reading().stalled).toBe(false);
  });

  it("is stalled right after a longer block, before its own timer has run again", async () => {
    watch = new EventLoopWatch({ maxDelayMs, windowMs, sampleMs });
    await sleep(100);
    blockEventLoop(maxDelayMs * 2);
    const reading = watch.reading();
    expect(reading.stalled).toBe(true);
    expect(reading.blockedMs).toBeGreaterThan(maxDelayMs);
  });

  it("stays stalled for the window after the block, with how long it lasted, then recovers", async () => {
    watch = new EventLoopWatch({ maxDelayMs, windowMs, sampleMs });
    await sleep(100);
    blockEventLoop(maxDelayMs * 2);
    const endedAt = performance.now();
    await sleep(200);
    const reading = watch.reading();
    expect(reading.stalled).toBe(true);
    expect(reading.blockedMs).toBeGreaterThanOrEqual(maxDelayMs * 2 - sampleMs);
    expect(reading.blockedMs).toBeLessThan(maxDelayMs * 2 + 500);
    // Margins of most of a second either way: other test files share the machine's cores.
    await sleep(windowMs - (performance.now() - endedAt) - 800);
    expect(watch.reading().stalled, "still within the window").toBe(true);
    await sleep(1_600);
    expect(watch.reading()).toEqual({ stalled: false, blockedMs: 0 });
  });

  it("logs each block longer than its bound once, when the loop turns again", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    watch = new EventLoopWatch({ maxDelayMs, windowMs, sampleMs, logger: pino(sink) });
    await sleep(100);
    blockEventLoop(maxDelayMs * 2);
    await sleep(200);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: number; blockedMs: number; maxDelayMs: number };
    expect(entry.level).toBe(pino.levels.values.warn);
    expect(entry.blockedMs).toBeGreaterThan(maxDelayMs);
    expect(entry.maxDelayMs).toBe(maxDelayMs);
  });

  it("never reports a stall with a bound of 0", async () => {
    watch = new EventLoopWatch({ maxDelayMs: 0, windowMs, sampleMs });
    blockEventLoop(300);
    expect(watch.reading()).toEqual({ stalled: false, blockedMs: 0 });
    await sleep(50);
    expect(watch.reading()).toEqual({ stalled: false, blockedMs: 0 });
  });
});
