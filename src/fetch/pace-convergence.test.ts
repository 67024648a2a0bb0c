/**
 * The rate limiter against simulated sites that throttle, on a manual clock: deterministic, no
 * sleeping. The figures on real sockets are in `npm run bench` (bench/throttle-bench.ts); these
 * check the limiter's logic converges to what each kind of site tolerates.
 */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../core/index.ts";
import { AdaptiveRateLimiter } from "./rate-limiter.ts";

/** A simulated site: the status (and `Retry-After`, ms) of a request arriving at `now`. */
type Site = (now: number) => { status: number; retryAfterMs?: number };

/** Deterministic numbers in [0, 1). */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** A site that answers 429 to a fixed share of requests, whatever the pace. */
function fixedShare(share: number, retryAfterMs: number | undefined, seed: number): Site {
  const next = random(seed);
  return () => (next() < share ? { status: 429, ...(retryAfterMs && { retryAfterMs }) } : { status: 200 });
}

/** A site that serves `rate` requests/s (a token bucket holding one second of them), 429 beyond, until `until`. */
function tokenBucket(rate: number, retryAfterMs: number | undefined, until = Infinity): Site {
  let tokens = rate;
  let at = 0;
  return (now) => {
    if (now >= until) return { status: 200 };
    tokens = Math.min(rate, tokens + ((now - at) * rate) / 1000);
    at = now;
    if (tokens < 1) return { status: 429, ...(retryAfterMs && { retryAfterMs }) };
    tokens -= 1;
    return { status: 200 };
  };
}

interface Outcome {
  pagesPerSecond: number;
  throttledShare: number;
  /** The limiter's rate at the end of each simulated second. */
  rates: number[];
}

/**
 * Crawls `site` for `seconds` with requests always waiting (the crawl has more pages than the
 * site allows), each answered 3 ms after it was sent, a millisecond at a time.
 */
function crawl(site: Site, ratePerHost: number, seconds: number): Outcome {
  const clock = new ManualClock(1_000_000);
  const start = clock.now();
  const limiter = new AdaptiveRateLimiter({ initialRate: ratePerHost, clock });
  const inFlight: { due: number; sentAt: number }[] = [];
  let ok = 0;
  let throttled = 0;
  const rates: number[] = [];
  for (let ms = 0; ms < seconds * 1000; ms++, clock.advance(1)) {
    const now = clock.now();
    while (inFlight.length > 0 && inFlight[0]!.due <= now) {
      const { sentAt } = inFlight.shift()!;
      const { status, retryAfterMs } = site(now - start);
      if (status === 200) ok++;
      else throttled++;
      limiter.onResponse("site.test", status, retryAfterMs, sentAt);
    }
    while (limiter.tryAcquire("site.test")) inFlight.push({ due: now + 3, sentAt: now });
    if (ms % 1000 === 999) rates.push(limiter.stats()[0]!.rate);
  }
  return { pagesPerSecond: ok / seconds, throttledShare: throttled / (ok + throttled), rates };
}

describe("the rate limiter converges to what a site tolerates", () => {
  it.each([1, 2, 3, 4, 5, 6].map((seed) => ({ seed })))(
    "a site answering 1 in 50 requests 429 (Retry-After 1 s), crawled at 10/s: at least 3/4 of the pace of honouring each wait exactly (seed $seed)",
    ({ seed }) => {
      // Honouring exactly: 50 requests take 5 s at 10/s, then 1 s of wait: 49 pages per 6 s.
      const honourPace = 49 / 6;
      const { pagesPerSecond } = crawl(fixedShare(0.02, 1000, seed), 10, 60);
      expect(pagesPerSecond).toBeGreaterThanOrEqual(0.75 * honourPace);
    },
  );

  it.each([
    { label: "with Retry-After 1 s", retryAfterMs: 1000 },
    { label: "without Retry-After", retryAfterMs: undefined },
  ])(
    "a site serving 5 requests/s, 429 $label beyond, crawled at 20/s: at least 3/4 of 5/s, under 1 in 20 requests throttled",
    ({ retryAfterMs }) => {
      const { pagesPerSecond, throttledShare } = crawl(tokenBucket(5, retryAfterMs), 20, 60);
      expect(pagesPerSecond).toBeGreaterThanOrEqual(0.75 * 5);
      expect(throttledShare).toBeLessThan(0.05);
    },
  );

  it("is back at rate_per_host within 30 s after the site stops throttling", () => {
    const { rates } = crawl(tokenBucket(2, 1000, 30_000), 10, 60);
    expect(Math.min(...rates.slice(0, 30))).toBeLessThan(4);
    expect(rates[59]).toBe(10);
  });
});
