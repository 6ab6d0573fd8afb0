import { describe, expect, it } from "vitest";
import { serializePayload, type SerializedPayload } from "../../src/subscriptions/next-frame.js";
import { Subscriber } from "../../src/subscriptions/subscriber.js";

const payload = (n: number): SerializedPayload => serializePayload({ data: { n } });

/** A sink that records what reached the client and refuses once `capacity` is used up. */
function subscriber(options: { capacity?: number; resumeAfter?: number } = {}) {
  const sent: unknown[] = [];
  const calls = { overflow: 0, end: 0 };
  const s = new Subscriber({
    resumeAfter: options.resumeAfter ?? null,
    sink: {
      send(json) {
        if (sent.length >= (options.capacity ?? Infinity)) return false;
        sent.push((JSON.parse(json) as { data?: unknown }).data ?? JSON.parse(json));
        return true;
      },
    },
    onOverflow: () => (calls.overflow += 1),
    onEnd: () => (calls.end += 1),
  });
  return { s, sent, calls };
}

describe("Subscriber", () => {
  it("cuts off a client whose socket will not take more, and ends the subscription", async () => {
    const { s, sent, calls } = subscriber({ capacity: 3 });
    const ended = s.next();
    for (let seq = 1; seq <= 10; seq++) s.push(seq, payload(seq));
    expect(sent).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(calls).toEqual({ overflow: 1, end: 1 });
    expect(await ended).toEqual({ value: undefined, done: true });
  });

  it("delivers each stream sequence once, in order", () => {
    const { s, sent } = subscriber();
    s.push(1, payload(1));
    s.push(1, payload(1));
    s.push(3, payload(3));
    s.push(2, payload(2));
    expect(sent).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("holds live events back during a replay and merges without duplicates", () => {
    const { s, sent } = subscriber({ resumeAfter: 1 });
    s.push(5, payload(5));
    s.push(4, payload(4));
    s.pushReplayed(2, payload(2));
    s.pushReplayed(4, payload(4));
    expect(sent).toEqual([{ n: 2 }, { n: 4 }]);
    s.finishReplay();
    s.push(6, payload(6));
    expect(sent).toEqual([{ n: 2 }, { n: 4 }, { n: 5 }, { n: 6 }]);
  });

  it("never delivers its cursor's event or an earlier one, even when the live feed passes them again after an empty replay", () => {
    const { s, sent } = subscriber({ resumeAfter: 7 });
    s.finishReplay();
    s.push(6, payload(6));
    s.push(7, payload(7));
    s.push(8, payload(8));
    expect(sent).toEqual([{ n: 8 }]);
  });

  it("ends with a last payload, e.g. after a supergraph change, and then sends nothing", async () => {
    const { s, sent, calls } = subscriber();
    const ended = s.next();
    s.endWith(serializePayload({ errors: [] }));
    s.push(7, payload(7));
    expect(sent).toEqual([{ errors: [] }]);
    expect(await ended).toEqual({ value: undefined, done: true });
    expect(calls.end).toBe(1);
  });

  it("yields nothing to graphql-ws and finishes when the client completes it", async () => {
    const { s, sent, calls } = subscriber();
    const pending = s.next();
    s.push(1, payload(1));
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect((await s.next()).done).toBe(true);
    s.push(2, payload(2));
    expect(sent).toEqual([{ n: 1 }]);
    expect(calls.end).toBe(1);
  });
});
