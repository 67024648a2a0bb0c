import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../core/index.ts";
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
  const limiter = new AdaptiveRateLimiter({ initialRate: 2, minRate: 0.5, maxRate: 2, ...options, clock });
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

  it("cuts the rate on a 429 or 503 without Retry-After, once per overload", () => {
    const { clock, limiter } = setup({ initialRate: 10, minRate: 1, maxRate: 10 });
    const sentAt = clock.now();
    clock.advance(100);
    // Knowing nothing of the host yet: a plain cut to 7, and below it while the rate climbs back to it.
    const cut = limiter.onResponse("a.test", 429, undefined, sentAt);
    expect(cut).toMatchObject({ verdict: "cut", previousRate: 10 });
    expect(cut?.rate).toBeCloseTo(4.9);
    // A request sent before that cut answers the same overload: no second cut.
    expect(limiter.onResponse("a.test", 503, undefined, sentAt)).toBeUndefined();
    expect(limiter.stats()[0]).toMatchObject({ throttled: 2 });
    clock.advance(2000);
    expect(limiter.stats()[0]?.rate).toBeCloseTo(7);
    // One sent after it: the pace is still too fast, cut again.
    expect(limiter.onResponse("a.test", 503, undefined, clock.now() - 5)).toMatchObject({ verdict: "cut" });
    expect(limiter.stats()[0]?.rate).toBeCloseTo(7 * 0.49);
  });

  it("without a send time, treats throttles within a second of a cut as the same overload", () => {
    const { clock, limiter } = setup({ initialRate: 10, minRate: 1, maxRate: 10 });
    expect(limiter.onResponse("a.test", 429)?.verdict).toBe("cut");
    clock.advance(999);
    expect(limiter.onResponse("a.test", 429)).toBeUndefined();
    clock.advance(1);
    expect(limiter.onResponse("a.test", 429)?.verdict).toBe("cut");
  });

  it("never cuts below the minimum", () => {
    const { clock, limiter } = setup({ initialRate: 10, minRate: 2, maxRate: 10 });
    for (let i = 0; i < 10; i++) {
      limiter.onResponse("a.test", 429);
      clock.advance(1000);
    }
    expect(limiter.onResponse("a.test", 429)).toMatchObject({ verdict: "cut", previousRate: 2, rate: 2 });
  });

  it("answers a throttle that names its wait and comes alone with the wait only; one right after the wait cuts", () => {
    const { clock, limiter } = setup({ initialRate: 10, minRate: 1, maxRate: 10 });
    expect(limiter.onResponse("a.test", 429, 1000, clock.now())).toEqual({
      host: "a.test",
      status: 429,
      previousRate: 10,
      rate: 10,
      verdict: "alone",
      blockedForMs: 1000,
    });
    expect(limiter.stats()[0]).toMatchObject({ rate: 10, blockedUntil: clock.now() + 1000, blockedMs: 1000 });
    // 1.5 s or more after the wait ended: alone again.
    clock.advance(2500);
    expect(limiter.onResponse("a.test", 429, 1000, clock.now())?.verdict).toBe("alone");
    // Right after the wait: the pace is too fast.
    clock.advance(2000);
    expect(limiter.onResponse("a.test", 429, 1000, clock.now())).toMatchObject({
      verdict: "cut",
      previousRate: 10,
    });
    expect(limiter.stats()[0]).toMatchObject({ throttled: 3, blockedMs: 3000 });
    expect(limiter.stats()[0]?.rate).toBeLessThan(10);
  });

  it("cuts to below the host's goodput: the pace it has been answering at", () => {
    const { clock, limiter } = setup({ initialRate: 20, minRate: 1, maxRate: 20 });
    // 40 s of 5 answers a second, while asking for 20: the site serves 5/s.
    for (let i = 0; i < 200; i++) {
      clock.advance(200);
      limiter.onResponse("a.test", 200);
    }
    const change = limiter.onResponse("a.test", 429);
    expect(change).toMatchObject({ verdict: "cut", previousRate: 20 });
    expect(change?.rate).toBeCloseTo(5 * 0.7, 1);
  });

  it("tells what a response changed: a cut, a new or longer block, the rate back at its maximum; else nothing", () => {
    const { clock, limiter } = setup();
    expect(limiter.onResponse("a.test", 200)).toBeUndefined();
    expect(limiter.onResponse("a.test", 429, 3000)).toEqual({
      host: "a.test",
      status: 429,
      previousRate: 2,
      rate: 2,
      verdict: "alone",
      blockedForMs: 3000,
    });
    clock.advance(500);
    // Again during the wait: a cut; the block ends 300 ms later, not news.
    expect(limiter.onResponse("a.test", 503, 2800)).toEqual({
      host: "a.test",
      status: 503,
      previousRate: 2,
      rate: expect.closeTo(0.98, 5),
      verdict: "cut",
    });
    // The same overload, with a longer wait: only the block is news.
    expect(limiter.onResponse("a.test", 429, 10_000)).toMatchObject({
      verdict: "answered",
      blockedForMs: 10_000,
    });
    expect(limiter.onResponse("a.test", 200)).toBeUndefined();
    clock.advance(30_000);
    expect(limiter.onResponse("a.test", 200)).toEqual({
      host: "a.test",
      previousRate: expect.closeTo(0.98, 5),
      rate: 2,
      sinceCutMs: 30_000,
    });
    expect(limiter.onResponse("a.test", 200)).toBeUndefined();
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
    const { clock, limiter } = setup({ pace: { maxBlockMs: 60_000 } });
    limiter.onResponse("a.test", 503, 86_400_000);
    expect(limiter.stats()[0]?.blockedUntil).toBe(clock.now() + 60_000);
  });

  it("is back at its maximum within 30 s after the host stops throttling, however low it was", () => {
    const { clock, limiter } = setup({ initialRate: 10, minRate: 1, maxRate: 10 });
    for (let i = 0; i < 20; i++) {
      limiter.onResponse("a.test", 429);
      clock.advance(1000);
    }
    expect(limiter.stats()[0]?.rate).toBe(1);
    const rates: number[] = [];
    for (let s = 0; s < 30; s++) {
      clock.advance(1000);
      limiter.onResponse("a.test", 200);
      rates.push(limiter.stats()[0]!.rate);
    }
    expect(rates.at(-1)).toBe(10);
    // Climbing, never falling, and slowly at first above the pace it was cut from.
    expect(rates.every((rate, i) => i === 0 || rate >= rates[i - 1]!)).toBe(true);
    expect(rates[3]).toBeLessThan(2);
  });

  it("stands still while blocked: blocked time does not count toward the climb", () => {
    const { clock, limiter } = setup({ initialRate: 10, minRate: 1, maxRate: 10 });
    const sentAt = clock.now() - 10;
    limiter.onResponse("a.test", 429);
    clock.advance(500);
    // The same overload, now with a wait: no second cut, but a block of 20 s.
    expect(limiter.onResponse("a.test", 429, 20_000, sentAt)?.verdict).toBe("answered");
    const blockedAt = limiter.stats()[0]!.rate;
    clock.advance(20_000);
    expect(limiter.stats()[0]!.rate).toBeCloseTo(blockedAt);
    expect(limiter.stats()[0]).toMatchObject({ blockedMs: 20_000, blockedUntil: null });
    clock.advance(1500);
    expect(limiter.stats()[0]!.rate).toBeCloseTo(7);
  });

  it("does not count errors other than 429/503 as throttles", () => {
    const { limiter } = setup();
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
    expect(() => new AdaptiveRateLimiter({ pace: { cutFactor: 1 } })).toThrow(/cutFactor/);
  });
});
