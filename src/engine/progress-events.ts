import type { Clock, TrawlEvent } from "../core/index.ts";
import type { ProgressTracker } from "./progress-tracker.ts";

/** How often progress events go out at most, in ms: enough for a live bar, cheap at 1000 pages/s. */
const PROGRESS_EVERY_MS = 200;

/**
 * A run's `progress.updated` events: at most one per PROGRESS_EVERY_MS, and always one after the
 * last change: a burst that ends inside the interval is reported when the interval is over, not
 * left stale until something else happens.
 */
export class ProgressEvents {
  private lastAt = 0;
  private trailing: NodeJS.Timeout | undefined;

  /** @param progress - The run's tracker (the session makes it when it starts). */
  constructor(
    private readonly runId: string,
    private readonly progress: () => ProgressTracker,
    private readonly clock: Clock,
    private readonly emit: (event: TrawlEvent) => void,
  ) {}

  /** After a change: an event now, or at the end of the interval. */
  changed(): void {
    const wait = this.lastAt + PROGRESS_EVERY_MS - this.clock.now();
    if (wait <= 0) this.now();
    else this.trailing ??= setTimeout(() => this.now(), wait).unref();
  }

  /** An event now. */
  now(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastAt = this.clock.now();
    const progress = this.progress();
    this.emit({
      type: "progress.updated",
      runId: this.runId,
      overall: progress.overall(),
      targets: progress.targets(),
    });
  }
}
