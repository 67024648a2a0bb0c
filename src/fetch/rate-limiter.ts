/**
 * Adaptive per-host rate limiting: a token bucket per host whose rate halves on 429/503, honours
 * `Retry-After` by blocking the host, and creeps back up after a run of successes. Hosts are
 * independent: one host's backoff never delays another's requests.
 */
import { UsageError } from "../core/errors.ts";
import { systemClock } from "../core/clock.ts";
import type { Clock } from "../core/clock.ts";

/** Options of {@link AdaptiveRateLimiter}. */
export interface RateLimiterOptions {
  /** Starting requests/second of every host. @defaultValue 10 */
  initialRate?: number;
  /** Backoff never goes below this. @defaultValue 0.1 (one request every 10 s) */
  minRate?: number;
  /** Recovery never goes above this. @defaultValue `initialRate` */
  maxRate?: number;
  /** Rate multiplier on 429/503. @defaultValue 0.5 */
  backoffFactor?: number;
  /** Rate multiplier after `recoverAfter` successes in a row. @defaultValue 1.1 */
  recoveryFactor?: number;
  /** Successes (status < 400) in a row before one recovery step. @defaultValue 10 */
  recoverAfter?: number;
  /** Tokens a host can save up; 1 spaces requests evenly. Fast hosts get 10 ms of their rate if more (see `capacity`). @defaultValue 1 */
  burst?: number;
  /** Longest block a `Retry-After` can impose, so a hostile value cannot stall a run for days. @defaultValue 300000 */
  maxBlockMs?: number;
  /** @defaultValue systemClock */
  clock?: Clock;
}

/** What the limiter knows about one host. */
export interface HostRateStats {
  host: string;
  /** Current requests/second. */
  rate: number;
  /** Tokens granted so far. */
  requests: number;
  /** 429/503 responses seen. */
  throttled: number;
  /** Epoch ms until which the host is blocked by `Retry-After`, or `null`. */
  blockedUntil: number | null;
}

/**
 * What a response changed about a host's pace (see {@link AdaptiveRateLimiter.onResponse}): a rate
 * cut on 429/503, a `Retry-After` block, or a recovery step.
 */
export interface RateChange {
  host: string;
  /** The throttling status, or `undefined` for a recovery step. */
  status?: number;
  /** Requests/second before the response. */
  previousRate: number;
  /** Requests/second now. */
  rate: number;
  /** Set when a `Retry-After` blocked the host, or blocked it a second or more longer: ms from now. */
  blockedForMs?: number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

interface HostBucket {
  host: string;
  rate: number;
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
  successes: number;
  requests: number;
  throttled: number;
  queue: Waiter[];
  /** Wakes the host's pump early (all waiters gone, or close). */
  wake?: AbortController;
}

const THROTTLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Per-host token buckets with backoff and recovery. Call `close()` to drop pending waits. */
export class AdaptiveRateLimiter {
  private readonly buckets = new Map<string, HostBucket>();
  private readonly clock: Clock;
  private readonly settings: Required<Omit<RateLimiterOptions, "clock">>;
  private closed = false;

  constructor(options: RateLimiterOptions = {}) {
    const initialRate = options.initialRate ?? 10;
    this.settings = {
      initialRate,
      minRate: options.minRate ?? Math.min(0.1, initialRate),
      maxRate: options.maxRate ?? initialRate,
      backoffFactor: options.backoffFactor ?? 0.5,
      recoveryFactor: options.recoveryFactor ?? 1.1,
      recoverAfter: options.recoverAfter ?? 10,
      burst: options.burst ?? 1,
      maxBlockMs: options.maxBlockMs ?? 300_000,
    };
    validate(this.settings);
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Resolves when `host` may send one request (FIFO per host). Rejects with the signal's reason
   * when it aborts first, and with an `AbortError`-like error after `close()`.
   */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed)
      return Promise.reject(new UsageError("TRAWL_ERR_FETCH_CLOSED", "rate limiter is closed"));
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
   * fast crawl, without a promise. False after `close()`.
   */
  tryAcquire(host: string): boolean {
    if (this.closed) return false;
    const bucket = this.bucket(host);
    if (bucket.queue.length > 0 || this.waitMs(bucket) > 0) return false;
    this.grant(bucket);
    return true;
  }

  /**
   * Feeds back a response status of `host`. 429/503: the rate is multiplied by `backoffFactor`
   * (not below `minRate`) and, with `retryAfterMs`, the host is blocked until now + that (capped
   * by `maxBlockMs`; an earlier block is never shortened). Status < 400: counts toward recovery.
   * Other statuses change nothing. Returns what changed, if anything (the hot path returns nothing).
   */
  onResponse(host: string, status: number, retryAfterMs?: number): RateChange | undefined {
    const bucket = this.bucket(host);
    const { backoffFactor, minRate, maxRate, recoverAfter, recoveryFactor } = this.settings;
    const previousRate = bucket.rate;
    if (THROTTLE_STATUSES.has(status)) {
      bucket.throttled++;
      bucket.successes = 0;
      bucket.rate = Math.max(minRate, bucket.rate * backoffFactor);
      const blockedForMs = this.block(bucket, retryAfterMs);
      if (bucket.rate === previousRate && blockedForMs === undefined) return undefined;
      const change: RateChange = { host, status, previousRate, rate: bucket.rate };
      if (blockedForMs !== undefined) change.blockedForMs = blockedForMs;
      return change;
    }
    if (status < 400 && ++bucket.successes >= recoverAfter) {
      bucket.successes = 0;
      bucket.rate = Math.min(maxRate, bucket.rate * recoveryFactor);
      if (bucket.rate !== previousRate) return { host, previousRate, rate: bucket.rate };
    }
    return undefined;
  }

  /**
   * Blocks `bucket` for `retryAfterMs` (capped), never shortening a block. Returns the block from
   * now when it is new or a second or more longer than before, else `undefined`.
   */
  private block(bucket: HostBucket, retryAfterMs: number | undefined): number | undefined {
    if (retryAfterMs === undefined || retryAfterMs <= 0) return undefined;
    const now = this.clock.now();
    const until = now + Math.min(retryAfterMs, this.settings.maxBlockMs);
    const before = Math.max(bucket.blockedUntil, now);
    if (until <= bucket.blockedUntil) return undefined;
    bucket.blockedUntil = until;
    return until - before >= 1000 || before === now ? until - now : undefined;
  }

  /** A snapshot per host seen so far, sorted by host. */
  stats(): HostRateStats[] {
    const now = this.clock.now();
    return [...this.buckets.values()]
      .map((b) => ({
        host: b.host,
        rate: b.rate,
        requests: b.requests,
        throttled: b.throttled,
        blockedUntil: b.blockedUntil > now ? b.blockedUntil : null,
      }))
      .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  /** Rejects every pending `acquire` and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const bucket of this.buckets.values()) {
      const error = new UsageError("TRAWL_ERR_FETCH_CLOSED", "rate limiter closed");
      for (const waiter of bucket.queue.splice(0)) waiter.reject(error);
      bucket.wake?.abort();
    }
  }

  private bucket(host: string): HostBucket {
    let bucket = this.buckets.get(host);
    if (!bucket) {
      const now = this.clock.now();
      const rate = this.settings.initialRate;
      bucket = {
        host,
        rate,
        tokens: this.settings.burst,
        refilledAt: now,
        blockedUntil: 0,
        successes: 0,
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
    const refill = ((now - bucket.refilledAt) * bucket.rate) / 1000;
    bucket.tokens = Math.min(this.capacity(bucket), bucket.tokens + refill);
    bucket.refilledAt = now;
    if (now < bucket.blockedUntil) return bucket.blockedUntil - now;
    if (bucket.tokens >= 1) return 0;
    return Math.ceil(((1 - bucket.tokens) * 1000) / bucket.rate);
  }

  /**
   * Tokens a host can hold: `burst`, or 10 ms worth of its current rate when that is more. Timers
   * cannot wait less than a millisecond, so without this a bucket of 1 caps every host near
   * 1,000 requests/s whatever its rate; at polite rates (≤ 100/s) it changes nothing, and it
   * shrinks with the rate on backoff.
   */
  private capacity(bucket: HostBucket): number {
    return Math.max(this.settings.burst, bucket.rate / 100);
  }

  private grant(bucket: HostBucket): void {
    bucket.tokens -= 1;
    bucket.requests++;
  }

  /** Serves `bucket`'s queue in order; one pump per host at a time. */
  private async pump(bucket: HostBucket): Promise<void> {
    if (bucket.wake) return;
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

  private drop(bucket: HostBucket, waiter: Waiter, reason: unknown): void {
    const index = bucket.queue.indexOf(waiter);
    if (index === -1) return;
    bucket.queue.splice(index, 1);
    waiter.reject(reason);
    if (bucket.queue.length === 0) bucket.wake?.abort();
  }
}

function validate(settings: Required<Omit<RateLimiterOptions, "clock">>): void {
  const { initialRate, minRate, maxRate, backoffFactor, burst } = settings;
  const ok =
    minRate > 0 &&
    minRate <= initialRate &&
    initialRate <= maxRate &&
    Number.isFinite(maxRate) &&
    backoffFactor > 0 &&
    backoffFactor <= 1 &&
    burst >= 1;
  if (!ok) {
    throw new UsageError(
      "TRAWL_ERR_FETCH_RATE_OPTIONS",
      `invalid rate limits: need 0 < minRate (${minRate}) <= initialRate (${initialRate}) <= maxRate (${maxRate}), finite, 0 < backoffFactor <= 1, burst >= 1`,
    );
  }
}
