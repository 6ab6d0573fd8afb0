import type { ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { Subscriber } from "../src/subscriptions/subscriber.js";

const payload = (n: number): ExecutionResult => ({ data: { n } });

function subscriber(options: { maxQueued?: number; replaying?: boolean } = {}) {
  const calls = { overflow: 0, end: 0 };
  const s = new Subscriber({
    maxQueued: options.maxQueued ?? 3,
    replaying: options.replaying ?? false,
    onOverflow: () => (calls.overflow += 1),
    onEnd: () => (calls.end += 1),
  });
  return { s, calls };
}

async function drain(s: Subscriber, count: number): Promise<unknown[]> {
  const values: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const next = await s.next();
    if (next.done) break;
    values.push(next.value.data);
  }
  return values;
}

describe("Subscriber", () => {
  it("cuts off a client that does not read instead of queueing without bound", async () => {
    const { s, calls } = subscriber({ maxQueued: 3 });
    for (let seq = 1; seq <= 10; seq++) s.push(seq, payload(seq));
    expect(calls).toEqual({ overflow: 1, end: 1 });
    expect(await drain(s, 10)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect((await s.next()).done).toBe(true);
  });

  it("delivers each stream sequence once, in order", async () => {
    const { s } = subscriber({ maxQueued: 10 });
    s.push(1, payload(1));
    s.push(1, payload(1));
    s.push(3, payload(3));
    s.push(2, payload(2));
    expect(await drain(s, 2)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("holds live events back during a replay and merges without duplicates", async () => {
    const { s } = subscriber({ maxQueued: 10, replaying: true });
    s.push(5, payload(5));
    s.push(4, payload(4));
    s.pushReplayed(2, payload(2));
    s.pushReplayed(4, payload(4));
    s.finishReplay();
    s.push(6, payload(6));
    expect(await drain(s, 4)).toEqual([{ n: 2 }, { n: 4 }, { n: 5 }, { n: 6 }]);
  });

  it("ends with a last result, e.g. after a supergraph change", async () => {
    const { s, calls } = subscriber();
    s.endWith({ errors: [] });
    expect(await s.next()).toEqual({ value: { errors: [] }, done: false });
    expect((await s.next()).done).toBe(true);
    expect(calls.end).toBe(1);
  });
});
