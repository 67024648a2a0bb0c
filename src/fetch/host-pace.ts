/**
 * How fast one host may be asked, as a function of time. AIMD with the memory of CUBIC (the TCP
 * congestion control): a throttle cuts the rate below the pace the host has been answering at
 * lately (its goodput), the rate climbs back to that pace within seconds, then probes above it,
 * slowly at first, up to the maximum. A throttle that names its wait (`Retry-After`) and comes
 * alone is answered by that wait only: a site that throttles a small share of requests whatever
 * the pace is no reason to crawl it slower. Only when it throttles again right after the wait
 * is the pace too fast. See docs/politeness.md.
 */
import type { PaceDefaults } from "./fetch-defaults.ts";

/** The rules of a {@link HostPace}: its bounds and the pace rules of the fetch defaults. */
export interface PaceSettings extends Omit<PaceDefaults, "maxBlockMs" | "throttleStatuses"> {
  minRate: number;
  maxRate: number;
}

/**
 * What a throttle did to the pace: `cut` the rate; nothing, as the server named its wait and
 * the throttle came `alone`; nothing, as the overload was `answered` by a cut already.
 */
export type ThrottleVerdict = "cut" | "alone" | "answered";

/** Answers are counted per second over the goodput window. */
const SLOT_MS = 1000;

/** A host's pace: its rate at any moment, cut on throttles and recovering with time. */
export class HostPace {
  /** The rate right after the last cut (or the start rate). */
  private base: number;
  /** The pace the host answered at when it last pushed back (or the start rate): the climb's target. */
  private ceiling: number;
  /** When the last cut happened (at creation: as if a climb had just ended, so probing starts). */
  private cutAt: number;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  /** Blocked time between the cut and the current block: the climb stands still while blocked. */
  private pausedMs = 0;
  private pauseFrom = 0;
  private pauseUntil = 0;
  /** When the host last throttled, or the wait it asked for then ended, whichever is later. */
  private quietSince = Number.NEGATIVE_INFINITY;
  /** Responses so far: the goodput is trusted once there are `goodputMinResponses`. */
  private responses = 0;
  /** Answers per second-slot over the goodput window, and which second each slot holds. */
  private readonly slots: number[];
  private readonly slotSecond: number[];
  private readonly createdAt: number;

  constructor(
    private readonly settings: PaceSettings,
    start: number,
    now: number,
  ) {
    this.base = start;
    this.ceiling = start;
    this.cutAt = now - settings.recoverMs;
    this.createdAt = now;
    const slotCount = Math.max(1, Math.ceil(settings.goodputWindowMs / SLOT_MS));
    this.slots = new Array<number>(slotCount).fill(0);
    this.slotSecond = new Array<number>(slotCount).fill(-1);
  }

  /**
   * The rate at `now`: a climb from the cut's rate back to the ceiling within `recoverMs`, fast
   * at first and flattening as it arrives, then a cubic probe from the ceiling to `maxRate`,
   * slow just above the pace that was too fast last time and quick far from it. The probe takes
   * `probeMs` for the whole way from nothing to `maxRate`, its share of that for a shorter way.
   * Time the host spends blocked by a named wait does not count.
   */
  rateAt(now: number): number {
    const { recoverMs, probeMs, maxRate } = this.settings;
    const since = Math.max(0, now - this.cutAt - this.pausedAt(now));
    if (since < recoverMs) {
      const left = 1 - since / recoverMs;
      return this.ceiling - (this.ceiling - this.base) * left * left;
    }
    const gap = maxRate - this.ceiling;
    if (gap <= 0) return maxRate;
    const share = Math.min(1, (since - recoverMs) / ((probeMs * gap) / maxRate));
    return this.ceiling + gap * share * share * share;
  }

  /** A response that was not a throttle (any other status): it counts toward the goodput. */
  answered(now: number): void {
    this.responses++;
    const second = Math.floor(now / SLOT_MS);
    const slot = second % this.slots.length;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.slots[slot] = 0;
    }
    this.slots[slot]!++;
  }

  /**
   * A throttling response at `now`, to a request sent at `sentAt` (if known); `waitUntil` is
   * the end of the wait the server named (its `Retry-After`), if any. Cuts the rate unless
   * - the request was sent before the last cut (or, its send time unknown, it came within
   *   `cooldownMs` of the cut): that overload has been answered already; or
   * - it named its wait and came alone: more than `quietMs` after the previous throttle, or
   *   after the end of the wait that one asked for.
   * A cut sets the ceiling to the goodput (within the floor and the current rate; while the
   * goodput is not trusted yet, at least `cutFactor` of the current rate) and the rate to
   * `cutFactor` of the ceiling, not below `minRate`.
   */
  throttle(now: number, waitUntil?: number, sentAt?: number): ThrottleVerdict {
    const { cooldownMs, cutFactor, minRate, quietMs, goodputMinResponses } = this.settings;
    this.responses++;
    const again = now < this.quietSince + quietMs;
    this.quietSince = Math.max(this.quietSince, now, waitUntil ?? now);
    if (waitUntil !== undefined) this.pause(now, waitUntil);
    if (sentAt !== undefined ? sentAt < this.lastCutAt : now < this.lastCutAt + cooldownMs) return "answered";
    if (waitUntil !== undefined && !again) return "alone";
    const rate = this.rateAt(now);
    const goodput = this.goodput(now);
    // A few responses into a host, its goodput says little (one answer in 50 ms is not 1/s).
    const paced = this.responses >= goodputMinResponses ? goodput : Math.max(goodput, rate * cutFactor);
    this.ceiling = Math.max(minRate, Math.min(rate, paced));
    this.base = Math.max(minRate, this.ceiling * cutFactor);
    this.cutAt = now;
    this.lastCutAt = now;
    this.pausedMs = 0;
    this.pauseFrom = now;
    return "cut";
  }

  /** Answers per second over the goodput window (or since the host's first request, if later). */
  goodput(now: number): number {
    const current = Math.floor(now / SLOT_MS);
    let answers = 0;
    for (let i = 0; i < this.slots.length; i++) {
      if (current - this.slotSecond[i]! < this.slots.length) answers += this.slots[i]!;
    }
    // The window starts with its oldest slot's second, or the host's first request if later.
    // Blocked time counts: a site that serves R/s refills while it blocks, too.
    const from = Math.max((current - this.slots.length + 1) * SLOT_MS, this.createdAt);
    return (answers * 1000) / Math.max(SLOT_MS, now - from);
  }

  /** Milliseconds the host has been blocked between the last cut and `now`. */
  private pausedAt(now: number): number {
    return this.pausedMs + Math.max(0, Math.min(now, this.pauseUntil) - this.pauseFrom);
  }

  /** The host is blocked until `until`: the climb stands still until then. */
  private pause(now: number, until: number): void {
    if (until <= this.pauseUntil) return;
    const from = Math.max(now, this.pauseUntil, this.cutAt);
    this.pausedMs = this.pausedAt(from);
    this.pauseFrom = from;
    this.pauseUntil = until;
  }
}
