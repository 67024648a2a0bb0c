import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../core/clock.ts";
import { AdaptiveRateLimiter } from "./rate-limiter.ts";

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function track(promise: Promise<void>): { done: () => boolean; error: () => unknown } {
  let done = false;
  let error: unknown;
  promise.then(
    () => (done = true),
    (e: unknown) => (error = e),
  );
  return { done: () => done, error: () => error };
}

function setup(options: ConstructorParameters<typeof AdaptiveRateLimiter>[0] = {}) {
  const clock = new ManualClock(1_000_000);
  const limiter = new AdaptiveRateLimiter({ initialRate: 2, minRate: 0.5, maxRate: 4, ...options, clock });
  return { clock, limiter };
}

describe("AdaptiveRateLimiter", () => {
  it("grants the first token at once and spaces the next by 1/rate", async () => {
    const { clock, limiter } = setup();
    await limiter.acquire("a.test");
    const second = track(limiter.acquire("a.test"));
    await settle();
    expect(second.done()).toBe(false);
    clock.advance(499);
    await settle();
    expect(second.done()).toBe(false);
    clock.advance(1);
    await settle();
    expect(second.done()).toBe(true);
  });

  it("lets a fast host spend 10 ms of its rate at once, since timers cannot wait less than 1 ms", async () => {
    const { clock, limiter } = setup({ initialRate: 10_000, maxRate: 10_000 });
    await limiter.acquire("fast.test");
    clock.advance(5);
    const waits = Array.from({ length: 50 }, () => track(limiter.acquire("fast.test")));
    await settle();
    expect(waits.every((w) => w.done())).toBe(true);
    const next = track(limiter.acquire("fast.test"));
    await settle();
    expect(next.done()).toBe(false);
  });

  it("serves waiters of one host in FIFO order", async () => {
    const { clock, limiter } = setup();
    await limiter.acquire("a.test");
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => limiter.acquire("a.test").then(() => order.push(n)));
    for (let i = 0; i < 3; i++) {
      clock.advance(500);
      await settle();
    }
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  it("halves the rate on 429 and 503, never below the minimum", () => {
    const { limiter } = setup();
    limiter.onResponse("a.test", 429);
    expect(limiter.stats()[0]?.rate).toBe(1);
    limiter.onResponse("a.test", 503);
    expect(limiter.stats()[0]?.rate).toBe(0.5);
    limiter.onResponse("a.test", 503);
    expect(limiter.stats()[0]).toMatchObject({ host: "a.test", rate: 0.5, throttled: 3 });
  });

  it("tells what a response changed: a cut, a new or longer block, a recovery step; else nothing", () => {
    const { clock, limiter } = setup({ recoverAfter: 2 });
    expect(limiter.onResponse("a.test", 200)).toBeUndefined();
    expect(limiter.onResponse("a.test", 429, 3000)).toEqual({
      host: "a.test",
      status: 429,
      previousRate: 2,
      rate: 1,
      blockedForMs: 3000,
    });
    clock.advance(500);
    // Same end of block within a second, rate still above the minimum: only the cut is news.
    expect(limiter.onResponse("a.test", 503, 2800)).toEqual({
      host: "a.test",
      status: 503,
      previousRate: 1,
      rate: 0.5,
    });
    expect(limiter.onResponse("a.test", 503)).toBeUndefined(); // at the minimum, no block
    expect(limiter.onResponse("a.test", 429, 10_000)).toMatchObject({ rate: 0.5, blockedForMs: 10_000 });
    limiter.onResponse("a.test", 200);
    expect(limiter.onResponse("a.test", 200)).toEqual({ host: "a.test", previousRate: 0.5, rate: 0.55 });
  });

  it("blocks a host for Retry-After while another host goes on at full speed", async () => {
    const { clock, limiter } = setup();
    await limiter.acquire("slow.test");
    limiter.onResponse("slow.test", 429, 2000);
    expect(limiter.stats().find((s) => s.host === "slow.test")?.blockedUntil).toBe(clock.now() + 2000);
    const blocked = track(limiter.acquire("slow.test"));
    await limiter.acquire("fast.test");
    clock.advance(1999);
    await settle();
    expect(blocked.done()).toBe(false);
    clock.advance(1);
    await settle();
    expect(blocked.done()).toBe(true);
    expect(limiter.stats().find((s) => s.host === "fast.test")).toMatchObject({ rate: 2, throttled: 0 });
  });

  it("caps a hostile Retry-After at maxBlockMs", () => {
    const { clock, limiter } = setup({ maxBlockMs: 60_000 });
    limiter.onResponse("a.test", 503, 86_400_000);
    expect(limiter.stats()[0]?.blockedUntil).toBe(clock.now() + 60_000);
  });

  it("recovers by 10% after every N successes, up to the maximum", () => {
    const { limiter } = setup({ recoverAfter: 3, initialRate: 3.5 });
    for (let i = 0; i < 2; i++) limiter.onResponse("a.test", 200);
    expect(limiter.stats()[0]?.rate).toBe(3.5);
    limiter.onResponse("a.test", 200);
    expect(limiter.stats()[0]?.rate).toBeCloseTo(3.85);
    for (let i = 0; i < 30; i++) limiter.onResponse("a.test", 200);
    expect(limiter.stats()[0]?.rate).toBe(4);
  });

  it("does not count errors other than 429/503 toward backoff or recovery", () => {
    const { limiter } = setup({ recoverAfter: 1 });
    limiter.onResponse("a.test", 404);
    limiter.onResponse("a.test", 500);
    expect(limiter.stats()[0]).toMatchObject({ rate: 2, throttled: 0 });
  });

  it("rejects a waiting acquire when its signal aborts, and serves the next waiter", async () => {
    const { clock, limiter } = setup();
    await limiter.acquire("a.test");
    const controller = new AbortController();
    const aborted = track(limiter.acquire("a.test", controller.signal));
    const next = track(limiter.acquire("a.test"));
    controller.abort(new Error("cancel"));
    await settle();
    expect(aborted.error()).toMatchObject({ message: "cancel" });
    clock.advance(500);
    await settle();
    expect(next.done()).toBe(true);
    expect(limiter.stats()[0]?.requests).toBe(2);
  });

  it("leaves no abort listener behind on a shared signal once waits are granted", async () => {
    const { clock, limiter } = setup();
    const shared = new AbortController().signal;
    const waits = Array.from({ length: 5 }, () => limiter.acquire("a.test", shared));
    expect(getEventListeners(shared, "abort").length).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      clock.advance(500);
      await settle();
    }
    await Promise.all(waits);
    expect(getEventListeners(shared, "abort")).toHaveLength(0);
  });

  it("rejects pending waits on close", async () => {
    const { limiter } = setup();
    await limiter.acquire("a.test");
    const pending = track(limiter.acquire("a.test"));
    limiter.close();
    await settle();
    expect(pending.error()).toMatchObject({ code: "TRAWL_ERR_FETCH_CLOSED" });
  });

  it("rejects inconsistent options", () => {
    expect(() => new AdaptiveRateLimiter({ initialRate: 1, minRate: 2, maxRate: 3 })).toThrow(/invalid rate/);
    expect(() => new AdaptiveRateLimiter({ initialRate: 1, minRate: 0 })).toThrow(/invalid rate/);
  });
});
