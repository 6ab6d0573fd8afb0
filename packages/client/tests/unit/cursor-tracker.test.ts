import { describe, expect, it } from "vitest";
import { cursorPosition, CursorTracker } from "../../src/subscriptions/cursor-tracker.js";

// The gateway's cursors: base64url of "seq:<stream sequence>".
const cursor = (seq: number) => Buffer.from(`seq:${seq}`, "utf8").toString("base64url");

describe("CursorTracker", () => {
  it("reads the gateway's cursors as stream positions", () => {
    expect(cursorPosition(cursor(42))).toBe(42);
    expect(cursorPosition(cursor(123_456_789_012))).toBe(123_456_789_012);
    expect(cursorPosition("not a cursor!")).toBeNull();
    expect(cursorPosition(Buffer.from("seq:-1").toString("base64url"))).toBeNull();
  });

  it("drops an event at or before the last one delivered (a replay after a reconnect)", () => {
    const tracker = new CursorTracker();
    const delivered = [5, 7, 6, 7, 9, 3, 12].filter((seq) => tracker.accept(cursor(seq)));
    expect(delivered).toEqual([5, 7, 9, 12]);
    expect(tracker.last).toBe(cursor(12));
  });

  it("starts after the cursor it was given", () => {
    const tracker = new CursorTracker(cursor(10));
    expect(tracker.accept(cursor(10))).toBe(false);
    expect(tracker.accept(cursor(11))).toBe(true);
  });

  it("drops exact repeats of cursors it cannot order", () => {
    const tracker = new CursorTracker();
    expect(["a1", "b2", "a1", "c3", "b2"].filter((value) => tracker.accept(value))).toEqual(["a1", "b2", "c3"]);
  });

  it("forgets everything on reset (after a resync)", () => {
    const tracker = new CursorTracker(cursor(50));
    tracker.reset();
    expect(tracker.last).toBeNull();
    expect(tracker.accept(cursor(3))).toBe(true);
  });
});

describe("endpoints", () => {
  it("derive ws(s) and /stream from the HTTP URL, relative ones against the page", async () => {
    const { streamUrl, webSocketUrl } = await import("../../src/endpoints.js");
    expect(webSocketUrl("https://asky.example/graphql")).toBe("wss://asky.example/graphql");
    expect(streamUrl("http://127.0.0.1:4000/graphql/")).toBe("http://127.0.0.1:4000/graphql/stream");
    const page = Object.getOwnPropertyDescriptor(globalThis, "location");
    Object.defineProperty(globalThis, "location", {
      value: { href: "https://ward.example/board/" },
      configurable: true,
    });
    try {
      expect(webSocketUrl("/graphql")).toBe("wss://ward.example/graphql");
      expect(streamUrl("/graphql")).toBe("https://ward.example/graphql/stream");
    } finally {
      if (page) Object.defineProperty(globalThis, "location", page);
      else Reflect.deleteProperty(globalThis, "location");
    }
  });
});
