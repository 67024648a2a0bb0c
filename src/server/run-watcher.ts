import type { App } from "../app/index.ts";
import { LIVE_RUN_STATUSES } from "../core/contract/values.ts";
import type { TrawlEvent } from "../core/index.ts";
import type { RunRecord } from "../store/index.ts";

/** Log lines of one run read per look, at most: a run that logs faster catches up over the next looks. */
const LOG_BATCH = 500;
/**
 * A run stays watched this long after its last change: the lines its process logs while letting
 * go (appended after its final status) still come through.
 */
const LINGER_MS = 3000;

/**
 * Brings runs that other processes execute (the CLI, a scheduler daemon) into the event stream:
 * their events never reach this process's bus, so the database is read every `intervalMs`. A run
 * whose row or counters moved is handed to `changed` (which publishes its summary), and its new
 * log lines are published as `log.written`, as if it ran here. A run whose process died is marked
 * interrupted on the next look.
 */
export class RunWatcher {
  private timer: NodeJS.Timeout | undefined;
  private since: number;
  private readonly startedAt: number;
  /** Last state seen of each watched run (its row's change time and its counters). */
  private readonly seen = new Map<string, string>();
  /** Id of the last log line published of each watched run. */
  private readonly lastLog = new Map<string, number>();
  /** Until when each run is watched although it neither runs nor changed. */
  private readonly lingerUntil = new Map<string, number>();
  private polling = false;

  constructor(
    private readonly app: App,
    private readonly publish: (event: TrawlEvent) => void,
    private readonly changed: (runId: string) => void,
    private readonly intervalMs = 500,
  ) {
    this.since = this.startedAt = app.clock.now();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the database; public for tests. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { store } = this.app;
      // A run whose process died is interrupted (resumable) as soon as that shows.
      await this.app.engine.detectInterrupted();
      const changed = await store.runs.list({ updatedAfter: this.since, limit: 1000 });
      const live = await store.runs.list({ statuses: [...LIVE_RUN_STATUSES], limit: 1000 });
      const runs = new Map<string, RunRecord>([...live, ...changed].map((run) => [run.id, run]));
      for (const run of changed) this.since = Math.max(this.since, run.updatedAt);
      const now = this.app.clock.now();
      for (const id of runs.keys()) this.lingerUntil.set(id, now + LINGER_MS);
      for (const [id, until] of this.lingerUntil) {
        const run = runs.get(id) ?? (await store.runs.get(id));
        if (until < now || !run) this.forget(id);
        else if (!this.app.engine.session(id)) await this.look(run);
        else this.lastLog.delete(id); // this process's bus reports it; its lines went out there
      }
    } catch {
      // The next poll tries again (a busy or briefly locked database).
    } finally {
      this.polling = false;
    }
  }

  private forget(runId: string): void {
    this.lingerUntil.delete(runId);
    this.seen.delete(runId);
    this.lastLog.delete(runId);
  }

  private async look(run: RunRecord): Promise<void> {
    await this.publishLogs(run.id);
    const counts = await this.app.store.queue.counts(run.id);
    const state = `${run.updatedAt}:${JSON.stringify(counts)}`;
    if (this.seen.get(run.id) === state) return;
    this.seen.set(run.id, state);
    this.changed(run.id);
  }

  /**
   * The run's log lines written since the last look. On the first, those since the watcher
   * started, or since this process stopped executing the run (it published the earlier ones).
   */
  private async publishLogs(runId: string): Promise<void> {
    const first = !this.lastLog.has(runId);
    const from = Math.max(this.startedAt, (this.app.engine.releasedAt(runId) ?? -Infinity) + 1);
    let after = this.lastLog.get(runId) ?? 0;
    for (;;) {
      const lines = await this.app.store.logs.list(runId, { afterId: after, limit: LOG_BATCH });
      for (const line of lines) {
        if (!first || line.at >= from)
          this.publish({ type: "log.written", runId, level: line.level, message: line.message, at: line.at });
      }
      after = lines.at(-1)?.id ?? after;
      this.lastLog.set(runId, after);
      if (lines.length < LOG_BATCH) return;
    }
  }
}
