import { describe, expect, it } from "vitest";
import { EventHub } from "./event-hub.ts";

const event = (i: number) => ({ type: "run.queued" as const, runId: `RUN-${i}`, scraper: "s" });

describe("EventHub", () => {
  it("replays what a client missed, and keeps at most `capacity` events", () => {
    const hub = new EventHub(3, 0, Infinity);
    for (let i = 1; i <= 5; i++) hub.publish(event(i));
    expect(hub.since(3)!.map((e) => e.id)).toEqual([4, 5]);
    expect(hub.since(2)!.map((e) => e.id)).toEqual([3, 4, 5]);
    expect(hub.since(1)).toBeNull();
  });

  it("lets events older than its age limit go, so a quiet server's memory stays flat", () => {
    let now = 0;
    const hub = new EventHub(10_000, 0, 60_000, () => now);
    for (let i = 1; i <= 100; i++) {
      hub.publish(event(i));
      now += 1000;
    }
    // Published at 0 … 99 s; at 99 s the last minute holds events 40 … 100.
    expect(hub.since(39)!.map((e) => e.id)).toEqual(Array.from({ length: 61 }, (_, i) => 40 + i));
    expect(hub.since(38)).toBeNull();
    expect(hub.latestId).toBe(100);
  });
});
