/**
 * Adaptive per-host rate limiting: a token bucket per host whose rate follows the host's
 * {@link HostPace} (cut on 429/503, recovering with time), and a block while a `Retry-After`
 * runs. Hosts are independent: one host's backoff never delays another's requests. Given the
 * run's {@link SharedPoliteness} (processes on several machines crawling one run), send time is
 * reserved in the database instead of taken from the bucket, and blocks are shared.
 */
import { fetchError } from "./errors.ts";
import { systemClock } from "../core/index.ts";
import type { Clock } from "../core/index.ts";
import { FETCH_DEFAULTS, rateBounds } from "./fetch-defaults.ts";
import type { PaceDefaults } from "./fetch-defaults.ts";
import { HostPace } from "./host-pace.ts";
import type { HostRateStats } from "./types.ts";
import type { ThrottleVerdict } from "./host-pace.ts";
import { lateBy, RESERVE_SPAN_MS, SHARED_PACE, type SharedPoliteness } from "./shared-politeness.ts";

/** Options of {@link AdaptiveRateLimiter}. */
export interface RateLimiterOptions {
  /** Starting requests/second of every host. @defaultValue `FETCH_DEFAULTS.ratePerHost` (10) */
  initialRate?: number;
  /** Cuts never go below this. @defaultValue `initialRate × FETCH_DEFAULTS.minRateShare` (a tenth) */
  minRate?: number;
  /** Recovery never goes above this. @defaultValue `initialRate` */
  maxRate?: number;
  /** Tokens a host can save up; 1 spaces requests evenly. Fast hosts get 10 ms of their rate if more (see `capacity`). @defaultValue 1 */
  burst?: number;
  /** Pace rules (cut factor, climb and probe times, …). @defaultValue `FETCH_DEFAULTS.pace` */
  pace?: Partial<PaceDefaults>;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** The run's politeness shared with its other processes; none: this process alone (SQLite). */
  shared?: SharedPoliteness | undefined;
}

export type { HostRateStats } from "./types.ts";

/**
 * What a response changed about a host's pace (see {@link AdaptiveRateLimiter.onResponse}): a rate
 * cut on 429/503, a `Retry-After` block, or the rate back at its maximum.
 */
export interface RateChange {
  host: string;
  /** The throttling status, or `undefined` when the rate is back at its maximum. */
  status?: number;
  /** Requests/second before the response (back at the maximum: right after the last cut). */
  previousRate: number;
  /** Requests/second now. */
  rate: number;
  /** What the throttle did to the rate (see {@link ThrottleVerdict}). */
  verdict?: ThrottleVerdict;
  /** Set when a `Retry-After` blocked the host, or blocked it a second or more longer: ms from now. */
  blockedForMs?: number;
  /** Back at the maximum: milliseconds since the last cut. */
  sinceCutMs?: number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

interface HostBucket {
  host: string;
  pace: HostPace;
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
  /** Block time of earlier and current blocks, each counted to its end. */
  blockedMs: number;
  /** Set by a cut until the rate is back at its maximum: the rate right after the cut, and when. */
  recovering?: { from: number; at: number };
  requests: number;
  throttled: number;
  queue: Waiter[];
  /** Wakes the host's pump early (all waiters gone, or close). */
  wake?: AbortController;
  /** Shared: the last slot reserved was given up, woken too late; the next one is used however late. */
  missed?: boolean;
}

interface Settings {
  initialRate: number;
  minRate: number;
  maxRate: number;
  burst: number;
  pace: PaceDefaults;
}

/** Per-host token buckets with backoff and recovery. Call `close()` to drop pending waits. */
export class AdaptiveRateLimiter {
  private readonly buckets = new Map<string, HostBucket>();
  private readonly clock: Clock;
  private readonly settings: Settings;
  private readonly throttleStatuses: ReadonlySet<number>;
  private readonly shared: SharedPoliteness | undefined;
  /** Stops hearing the blocks other processes set. */
  private readonly unwatch: (() => void) | undefined;
  private closed = false;

  constructor(options: RateLimiterOptions = {}) {
    const bounds = rateBounds(options.initialRate ?? FETCH_DEFAULTS.ratePerHost);
    this.settings = {
      initialRate: bounds.start,
      minRate: options.minRate ?? bounds.min,
      maxRate: options.maxRate ?? bounds.max,
      burst: options.burst ?? 1,
      pace: { ...FETCH_DEFAULTS.pace, ...options.pace, ...(options.shared && SHARED_PACE) },
    };
    validate(this.settings);
    this.throttleStatuses = new Set(this.settings.pace.throttleStatuses);
    this.clock = options.clock ?? systemClock;
    this.shared = options.shared;
    // Another process's Retry-After: a slot reserved before it waits for its end (sharedPump).
    this.unwatch = this.shared?.watchBlocks((host, ms) => {
      if (!this.closed) this.block(this.bucket(host), this.clock.now(), ms);
    });
  }

  /**
   * Resolves when `host` may send one request (FIFO per host). Rejects with the signal's reason
   * when it aborts first, and with an `AbortError`-like error after `close()`.
   */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(fetchError("TRAWL_ERR_FETCH_CLOSED", "rate limiter is closed"));
    if (this.tryAcquire(host)) return Promise.resolve();
    const bucket = this.bucket(host);
    return new Promise<void>((resolve, reject) => {
      // The listener goes when the waiter settles: a run's signal is shared by every request.
      const onAbort = () => this.drop(bucket, waiter, signal?.reason);
      const settle = () => signal?.removeEventListener("abort", onAbort);
      const waiter: Waiter = {
        resolve: () => {
          settle();
          resolve();
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      bucket.queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      void this.pump(bucket);
    });
  }

  /**
   * Takes a token for `host` when one is free now and nobody waits before us: the hot path of a
   * fast crawl, without a promise. False after `close()`, and always when shared (the database
   * grants).
   */
  tryAcquire(host: string): boolean {
    if (this.closed || this.shared) return false;
    const bucket = this.bucket(host);
    if (bucket.queue.length > 0 || this.waitMs(bucket) > 0) return false;
    this.grant(bucket);
    return true;
  }

  /**
   * Feeds back a response status of `host`; `sentAt` is when its request was sent (this
   * limiter's clock), so that throttles of requests sent before a cut do not cut again. 429/503:
   * with `retryAfterMs`, the host is blocked until now + that (capped by `maxBlockMs`; an earlier
   * block is never shortened), and the pace decides whether to cut the rate too (see
   * {@link HostPace.throttle}). Any other status counts toward the host's goodput, and tells when
   * the rate is back at its maximum after a cut. Returns what changed, if anything (the hot path
   * returns nothing).
   */
  onResponse(host: string, status: number, retryAfterMs?: number, sentAt?: number): RateChange | undefined {
    const bucket = this.bucket(host);
    const now = this.clock.now();
    if (!this.throttleStatuses.has(status)) {
      bucket.pace.answered(now);
      return bucket.recovering ? this.recovered(bucket, now) : undefined;
    }
    const previousRate = bucket.pace.rateAt(now);
    bucket.throttled++;
    const blockedForMs = this.block(bucket, now, retryAfterMs);
    if (this.shared && retryAfterMs !== undefined && retryAfterMs > 0) {
      // Every process of the run waits too. Not awaited: a database that fails here fails the
      // next reservation, loudly.
      const ms = Math.min(retryAfterMs, this.settings.pace.maxBlockMs);
      this.shared.block(host, ms).catch(() => undefined);
    }
    const waitUntil = retryAfterMs !== undefined && retryAfterMs > 0 ? bucket.blockedUntil : undefined;
    const verdict = bucket.pace.throttle(now, waitUntil, sentAt);
    const rate = bucket.pace.rateAt(now);
    if (verdict === "cut") bucket.recovering = { from: rate, at: now };
    if (verdict !== "cut" && blockedForMs === undefined) return undefined;
    const change: RateChange = { host, status, previousRate, rate, verdict };
    if (blockedForMs !== undefined) change.blockedForMs = blockedForMs;
    return change;
  }

  /** The change "back at the maximum" once, after a cut, the rate has climbed all the way back. */
  private recovered(bucket: HostBucket, now: number): RateChange | undefined {
    const rate = bucket.pace.rateAt(now);
    if (!bucket.recovering || rate < this.settings.maxRate) return undefined;
    const { from, at } = bucket.recovering;
    bucket.recovering = undefined;
    return { host: bucket.host, previousRate: from, rate, sinceCutMs: now - at };
  }

  /**
   * Blocks `bucket` for `retryAfterMs` (capped), never shortening a block. Returns the block from
   * now when it is new or a second or more longer than before, else `undefined`.
   */
  private block(bucket: HostBucket, now: number, retryAfterMs: number | undefined): number | undefined {
    if (retryAfterMs === undefined || retryAfterMs <= 0) return undefined;
    const until = now + Math.min(retryAfterMs, this.settings.pace.maxBlockMs);
    const before = Math.max(bucket.blockedUntil, now);
    if (until <= bucket.blockedUntil) return undefined;
    bucket.blockedMs += until - before;
    bucket.blockedUntil = until;
    return until - before >= 1000 || before === now ? until - now : undefined;
  }

  /** A snapshot per host seen so far, sorted by host. */
  stats(): HostRateStats[] {
    const now = this.clock.now();
    return [...this.buckets.values()]
      .map((b) => ({
        host: b.host,
        rate: b.pace.rateAt(now),
        maxRate: this.settings.maxRate,
        requests: b.requests,
        throttled: b.throttled,
        blockedMs: b.blockedMs,
        blockedUntil: b.blockedUntil > now ? b.blockedUntil : null,
      }))
      .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  /** Rejects every pending `acquire` and refuses new ones. */
  close(): void {
    this.closed = true;
    this.unwatch?.();
    for (const bucket of this.buckets.values()) {
      const error = fetchError("TRAWL_ERR_FETCH_CLOSED", "rate limiter closed");
      for (const waiter of bucket.queue.splice(0)) waiter.reject(error);
      bucket.wake?.abort();
    }
  }

  private bucket(host: string): HostBucket {
    let bucket = this.buckets.get(host);
    if (!bucket) {
      const now = this.clock.now();
      const { initialRate, minRate, maxRate, pace } = this.settings;
      bucket = {
        host,
        pace: new HostPace({ ...pace, minRate, maxRate }, initialRate, now),
        tokens: this.settings.burst,
        refilledAt: now,
        blockedUntil: 0,
        blockedMs: 0,
        requests: 0,
        throttled: 0,
        queue: [],
      };
      this.buckets.set(host, bucket);
    }
    return bucket;
  }

  /** Milliseconds until `bucket` can grant a token (0 = now), after refilling it. */
  private waitMs(bucket: HostBucket): number {
    const now = this.clock.now();
    // The rate moves with time; refilling at the rate of now is exact enough between two grants.
    const rate = bucket.pace.rateAt(now);
    const refill = ((now - bucket.refilledAt) * rate) / 1000;
    bucket.tokens = Math.min(this.capacity(rate), bucket.tokens + refill);
    bucket.refilledAt = now;
    if (now < bucket.blockedUntil) return bucket.blockedUntil - now;
    if (bucket.tokens >= 1) return 0;
    return Math.ceil(((1 - bucket.tokens) * 1000) / rate);
  }

  /**
   * Tokens a host can hold: `burst`, or 10 ms worth of its current rate when that is more. Timers
   * cannot wait less than a millisecond, so without this a bucket of 1 caps every host near
   * 1,000 requests/s whatever its rate; at polite rates (≤ 100/s) it changes nothing, and it
   * shrinks with the rate on backoff.
   */
  private capacity(rate: number): number {
    return Math.max(this.settings.burst, rate / 100);
  }

  private grant(bucket: HostBucket): void {
    bucket.tokens -= 1;
    bucket.requests++;
  }

  /** Serves `bucket`'s queue in order; one pump per host at a time. */
  private async pump(bucket: HostBucket): Promise<void> {
    if (bucket.wake) return;
    if (this.shared) return this.sharedPump(bucket, this.shared);
    bucket.wake = new AbortController();
    try {
      while (bucket.queue.length > 0 && !this.closed) {
        const wait = this.waitMs(bucket);
        if (wait > 0) {
          // A fresh controller per sleep: an earlier early-wake must not make this one return at once.
          bucket.wake = new AbortController();
          await this.clock.sleep(wait, bucket.wake.signal).catch(() => undefined);
          continue;
        }
        this.grant(bucket);
        bucket.queue.shift()?.resolve();
      }
    } finally {
      bucket.wake = undefined;
    }
  }

  /**
   * The pump of a shared limiter: this process's own block first (its 429s, known at once), then
   * send time reserved in the database for a batch of waiters (see {@link RESERVE_SPAN_MS}), each
   * released on its slot at the host's current pace. A database failure fails the waiting
   * requests: it is the run's, as the queue's would be.
   */
  private async sharedPump(bucket: HostBucket, shared: SharedPoliteness): Promise<void> {
    bucket.wake = new AbortController();
    try {
      while (bucket.queue.length > 0 && !this.closed) {
        const now = this.clock.now();
        if (now < bucket.blockedUntil) {
          await this.sleepUntil(bucket, bucket.blockedUntil);
          continue;
        }
        const interval = 1000 / bucket.pace.rateAt(now);
        const count = Math.min(bucket.queue.length, Math.max(1, Math.floor(RESERVE_SPAN_MS / interval)));
        let slot = this.clock.now() + (await shared.reserve(bucket.host, count * interval));
        for (let i = 0; i < count; i++, slot += interval) {
          // Woken early (the waiters left, or closing): a waiter queued since still waits its slot.
          while (this.clock.now() < slot && bucket.queue.length > 0 && !this.closed)
            await this.sleepUntil(bucket, slot);
          // A 429 of this process since the reservation: its slots are given up, the block waited.
          if (bucket.queue.length === 0 || this.closed || this.clock.now() < bucket.blockedUntil) break;
          const late = !bucket.missed && lateBy(this.clock.now() - slot, interval);
          bucket.missed = late;
          if (late) break;
          this.grant(bucket);
          bucket.queue.shift()?.resolve();
        }
      }
    } catch (error) {
      for (const waiter of bucket.queue.splice(0)) waiter.reject(error);
    } finally {
      bucket.wake = undefined;
    }
  }

  /** Sleeps until `at` on the limiter's clock, or until the host's pump is woken early. */
  private async sleepUntil(bucket: HostBucket, at: number): Promise<void> {
    // A fresh controller per sleep: an earlier early-wake must not make this one return at once.
    bucket.wake = new AbortController();
    await this.clock
      .sleep(Math.max(1, Math.ceil(at - this.clock.now())), bucket.wake.signal)
      .catch(() => undefined);
  }

  private drop(bucket: HostBucket, waiter: Waiter, reason: unknown): void {
    const index = bucket.queue.indexOf(waiter);
    if (index === -1) return;
    bucket.queue.splice(index, 1);
    waiter.reject(reason);
    if (bucket.queue.length === 0) bucket.wake?.abort();
  }
}

function validate(settings: Settings): void {
  const { initialRate, minRate, maxRate, burst } = settings;
  const { cutFactor, recoverMs, probeMs } = settings.pace;
  const ok =
    minRate > 0 &&
    minRate <= initialRate &&
    initialRate <= maxRate &&
    Number.isFinite(maxRate) &&
    cutFactor > 0 &&
    cutFactor < 1 &&
    recoverMs > 0 &&
    probeMs > 0 &&
    burst >= 1;
  if (!ok) {
    throw fetchError(
      "TRAWL_ERR_FETCH_RATE_OPTIONS",
      `invalid rate limits: need 0 < minRate (${minRate}) <= initialRate (${initialRate}) <= maxRate (${maxRate}), finite, 0 < cutFactor < 1, recoverMs and probeMs > 0, burst >= 1`,
    );
  }
}
