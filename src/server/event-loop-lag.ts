import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/** How often the monitor's timer fires, in ms: its cost is one timer per tick. */
const RESOLUTION_MS = 10;

/** The event-loop lag of an interval, in ms. */
export interface LagFigures {
  p99: number;
  max: number;
}

/**
 * The event loop's lag between two readings (perf_hooks `monitorEventLoopDelay`). The histogram
 * records the time between the monitor's timer ticks, so an idle loop reads the resolution: it is
 * taken off, leaving how late the loop was. Off until {@link start}, which costs nothing when no
 * one samples.
 */
export class EventLoopLag {
  private histogram: IntervalHistogram | undefined;

  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }

  /** The p99 and max lag since the previous reading (then starts over); null when not monitoring or no tick yet. */
  take(): LagFigures | null {
    const h = this.histogram;
    if (!h || h.count === 0) return null;
    const lag = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
    const figures = { p99: lag(h.percentile(99)), max: lag(h.max) };
    h.reset();
    return figures;
  }
}
