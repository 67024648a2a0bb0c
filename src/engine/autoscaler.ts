/**
 * `concurrency: auto`: how many requests a run keeps in flight, found while it runs. Every window
 * of finished requests the autoscaler compares the window's median latency with the run's
 * unloaded latency (the lowest window median seen) and decides:
 *
 * - **429 or 503**: halve at once, not at the window's end (a throttled slot frees at once and
 *   would ask again and again), and grow back only to just under where it was throttled for ten
 *   windows before probing past it. The rate limiter slows the host too. Crawlee's pool keeps
 *   growing through them (crawlee #1306); this one never does.
 * - **event-loop lag** over 200 ms (p99): shrink by a quarter: the process, not the site, is the
 *   bottleneck, and more requests would only wait longer for their parse.
 * - **latency over twice the unloaded**: shrink toward where it was healthy (the site queues
 *   requests it cannot serve at once; more in flight only adds waiting).
 * - **latency within 1.5× the unloaded, slots all used, throughput still rising**: grow by a
 *   quarter (at least one).
 * - otherwise hold. Growth that three times in a row brought no more throughput (a rate limit
 *   or a slow parse is the bottleneck) steps back once and stays there for ten windows.
 *
 * Never below `min` nor above `max`; the resource governor still caps it under memory pressure.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { Clock, LogLevel } from "../core/index.ts";
import type { Politeness } from "../fetch/index.ts";

/** Bounds of an autoscaled concurrency (`concurrency: auto` or `{ start, min, max }`). */
export interface AutoscaleBounds {
  start: number;
  min: number;
  max: number;
}

/** One finished attempt, as the autoscaler reads it. */
export interface AttemptSample {
  latencyMs: number;
  status?: number | undefined;
}

/** A change of the limit, and why (for the run's log). */
export interface AutoscaleChange {
  from: number;
  to: number;
  why: string;
}

/** Event-loop lag (p99 over a window) that counts as overload. */
const LAG_LIMIT_MS = 200;
/** Window median latency, relative to the unloaded one, up to which the site is healthy. */
const HEALTHY_LATENCY = 1.5;
/** ... and from which it is overloaded. */
const OVERLOADED_LATENCY = 2;
/** Throughput gain that counts as one (noise aside). */
const GAIN = 1.03;
/** Growths without gain after which the autoscaler steps back and waits. */
const FUTILE_GROWTHS = 3;
const PROBE_PAUSE_WINDOWS = 10;

/** Finds and keeps a run's concurrency; feed it every finished attempt. */
export class ConcurrencyAutoscaler {
  private current: number;
  private latencies: number[] = [];
  private throttled = 0;
  private windowStart: number;
  private busiest = 0;
  private unloadedMs = Infinity;
  private lastThroughput = 0;
  private futile = 0;
  private grewLast = false;
  /** While `pause` windows last, growth stops at `ceiling` (under a throttle, or after futile growth). */
  private ceiling = Infinity;
  private pause = 0;
  private readonly lag: IntervalHistogram | undefined;

  /**
   * @param now - The clock (milliseconds).
   * @param onChange - Told each time the limit changes.
   * @param watchLag - Whether to watch this thread's event-loop lag (tests of the rules turn it off).
   */
  constructor(
    private readonly bounds: AutoscaleBounds,
    private readonly now: () => number,
    private readonly onChange: (change: AutoscaleChange) => void = () => undefined,
    watchLag = true,
  ) {
    this.current = Math.min(bounds.max, Math.max(bounds.min, bounds.start));
    this.windowStart = now();
    if (watchLag) {
      this.lag = monitorEventLoopDelay({ resolution: 20 });
      this.lag.enable();
    }
  }

  /** The concurrency it found so far (what {@link limit} answers, without counting a call). */
  get concurrency(): number {
    return this.current;
  }

  /** The requests the run may have in flight now; `fetching`: how many it has (to tell saturation). */
  limit(fetching: number): number {
    this.busiest = Math.max(this.busiest, fetching);
    return this.current;
  }

  /** Takes one finished attempt into the window; ends the window when it is full. */
  observe(sample: AttemptSample): void {
    this.latencies.push(sample.latencyMs);
    const elapsed = this.now() - this.windowStart;
    if (sample.status === 429 || sample.status === 503) {
      this.throttled++;
      return this.decide(Math.max(elapsed, 1));
    }
    // Enough requests for a median, and long enough for the lag to mean something.
    if (this.latencies.length >= Math.max(8, this.current) && elapsed >= 250) this.decide(elapsed);
  }

  /** Stops watching the event loop. */
  close(): void {
    this.lag?.disable();
  }

  private decide(elapsedMs: number): void {
    const median = medianOf(this.latencies);
    const throughput = (1000 * this.latencies.length) / elapsedMs;
    const lagMs = this.lag ? this.lag.percentile(99) / 1e6 : 0;
    const saturated = this.busiest >= this.current;
    // The lowest median seen; at the least concurrency allowed, what is seen is the unloaded
    // latency (a site that became slower for good is not held against its old speed forever).
    const seen = Math.max(median, 1);
    this.unloadedMs = this.current === this.bounds.min ? seen : Math.min(this.unloadedMs, seen);
    const next = this.next(median, throughput, lagMs, saturated);
    this.grewLast = next.to > this.current;
    if (next.to !== this.current) {
      this.onChange({ from: this.current, to: next.to, why: next.why });
      this.current = next.to;
    }
    this.lastThroughput = throughput;
    this.latencies = [];
    this.throttled = 0;
    this.busiest = 0;
    this.windowStart = this.now();
    this.lag?.reset();
  }

  private next(median: number, throughput: number, lagMs: number, saturated: boolean) {
    const { min, max } = this.bounds;
    const clamp = (n: number) => Math.min(max, Math.max(min, Math.round(n)));
    const ratio = median / this.unloadedMs;
    if (this.throttled > 0) {
      this.ceiling = Math.max(min, this.current - 1);
      this.pause = PROBE_PAUSE_WINDOWS;
      return { to: clamp(this.current / 2), why: `the site answered 429/503 at ${this.current} in flight` };
    }
    if (lagMs > LAG_LIMIT_MS)
      return { to: clamp(this.current * 0.75), why: `event-loop lag ${lagMs.toFixed(0)} ms` };
    if (ratio > OVERLOADED_LATENCY) {
      return {
        to: clamp(Math.max(this.current * 0.5, (this.current * HEALTHY_LATENCY) / ratio)),
        why: `latency ${median.toFixed(0)} ms, ${ratio.toFixed(1)}× the unloaded ${this.unloadedMs.toFixed(0)} ms`,
      };
    }
    if (this.pause > 0 && --this.pause === 0) this.ceiling = Infinity;
    if (ratio > HEALTHY_LATENCY || !saturated || this.current >= this.ceiling)
      return { to: this.current, why: "" };
    if (this.grewLast) this.futile = throughput >= this.lastThroughput * GAIN ? 0 : this.futile + 1;
    if (this.futile >= FUTILE_GROWTHS) {
      this.futile = 0;
      this.pause = PROBE_PAUSE_WINDOWS;
      this.ceiling = clamp(this.current / 1.25);
      return { to: this.ceiling, why: "more requests in flight brought no more pages/s" };
    }
    return {
      to: Math.min(this.ceiling, clamp(Math.max(this.current + 1, this.current * 1.25))),
      why: `latency steady at ${median.toFixed(0)} ms`,
    };
  }
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The autoscaler of a run whose scraper asks for `concurrency: auto`, its changes told to the
 * run's log; none for a fixed concurrency.
 */
export function autoscalerFor(
  politeness: Politeness,
  clock: Clock,
  log: (level: LogLevel, message: string) => void,
): ConcurrencyAutoscaler | undefined {
  if (!politeness.autoscale) return undefined;
  return new ConcurrencyAutoscaler(
    politeness.autoscale,
    () => clock.now(),
    ({ from, to, why }) => log(to < from ? "info" : "debug", `concurrency ${from} → ${to}: ${why}`),
  );
}
