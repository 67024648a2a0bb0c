import type { Clock } from "../core/index.ts";

/**
 * How long a run has been running, pauses left out, over all its sessions (`max_runtime`, the
 * stats' pace): the seconds of earlier sessions and stretches, and the stretch running now.
 */
export class RunningTime {
  private since: number | null = null;

  constructor(
    private readonly clock: Clock,
    private before: number,
  ) {}

  /** A running stretch starts (nothing when one is under way). */
  start(): void {
    this.since ??= this.clock.now();
  }

  /** The stretch ends: its seconds are counted. */
  stop(): void {
    this.before = this.seconds();
    this.since = null;
  }

  seconds(): number {
    const current = this.since === null ? 0 : (this.clock.now() - this.since) / 1000;
    return this.before + current;
  }
}
