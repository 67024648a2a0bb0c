import type { App } from "../app/index.ts";
import { describeError } from "../core/index.ts";
import type { TrawlEvent } from "../core/index.ts";

/** A run's summary goes out at most this often while it changes: live enough, cheap at 1000 pages/s. */
const SUMMARY_EVERY_MS = 250;

/**
 * Publishes `run.updated` with a run's whole summary after it changed, so that every view of the
 * run (header, steps, targets, counts, stats) shows one consistent reading instead of piecing one
 * together from different events. At most one per run every `everyMs`, and always one after the
 * last change: a burst that ends inside the interval is reported when it is over.
 */
export class RunFeed {
  private readonly last = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly reading = new Set<string>();

  constructor(
    private readonly app: App,
    private readonly publish: (event: TrawlEvent) => void,
    private readonly log: (message: string) => void,
    private readonly everyMs = SUMMARY_EVERY_MS,
  ) {}

  /** The run changed: its summary goes out now or when the interval allows. */
  touch(runId: string): void {
    if (this.timers.has(runId)) return;
    const wait = (this.last.get(runId) ?? 0) + this.everyMs - Date.now();
    const timer = setTimeout(() => void this.send(runId), Math.max(0, wait));
    this.timers.set(runId, timer.unref());
  }

  /** Listens to this process's events: anything that happens to a run but a log line changes its summary. */
  listener(): (event: TrawlEvent) => void {
    return (event) => {
      if ("runId" in event && event.runId && event.type !== "log.written" && event.type !== "run.updated")
        this.touch(event.runId);
    };
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async send(runId: string): Promise<void> {
    if (this.reading.has(runId)) {
      // A reading is under way; the change after it starts needs one more.
      this.timers.delete(runId);
      setTimeout(() => this.touch(runId), this.everyMs).unref();
      return;
    }
    this.reading.add(runId);
    this.last.set(runId, Date.now());
    this.timers.delete(runId);
    try {
      const run = await this.app.store.runs.get(runId);
      if (run) this.publish({ type: "run.updated", runId, summary: await this.app.describe(run) });
    } catch (error) {
      this.log(`could not read run ${runId}: ${describeError(error)}`);
    } finally {
      this.reading.delete(runId);
    }
    if (!this.active(runId)) this.last.delete(runId);
  }

  private active(runId: string): boolean {
    return this.timers.has(runId) || this.app.engine.session(runId) !== undefined;
  }
}
