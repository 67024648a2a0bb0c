import type { App } from "../app/index.ts";
import type { Progress, TrawlEvent } from "../core/events.ts";
import type { RunRecord } from "../store/index.ts";

/**
 * Brings runs that other processes execute (the CLI, a scheduler daemon) into the event stream:
 * their events never reach this process's bus, so their rows are read every `intervalMs` and a
 * `run.changed` event is published when a status or a counter moved.
 */
export class RunWatcher {
  private timer: NodeJS.Timeout | undefined;
  private since: number;
  /** Last published state of each watched run, to publish changes only. */
  private readonly seen = new Map<string, string>();
  private polling = false;

  constructor(
    private readonly app: App,
    private readonly publish: (event: TrawlEvent) => void,
    private readonly intervalMs = 500,
  ) {
    this.since = app.clock.now();
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
      const changed = await store.runs.list({ updatedAfter: this.since, limit: 1000 });
      const live = await store.runs.list({ statuses: ["running", "queued"], limit: 1000 });
      const runs = new Map<string, RunRecord>([...live, ...changed].map((run) => [run.id, run]));
      for (const run of changed) this.since = Math.max(this.since, run.updatedAt);
      for (const run of runs.values()) {
        if (this.app.engine.session(run.id)) continue; // this process's bus reports it already
        const overall = await this.progress(run.id);
        const state = `${run.status}:${overall.pagesDone}:${overall.pagesKnown}:${overall.records}:${overall.errors}`;
        if (this.seen.get(run.id) === state) continue;
        this.seen.set(run.id, state);
        this.publish({ type: "run.changed", runId: run.id, status: run.status, overall });
      }
      for (const id of this.seen.keys()) if (!runs.has(id)) this.seen.delete(id);
    } catch {
      // The next poll tries again (a busy or briefly locked database).
    } finally {
      this.polling = false;
    }
  }

  private async progress(runId: string): Promise<Progress> {
    const overall: Progress = { pagesDone: 0, pagesKnown: 0, records: 0, errors: 0 };
    for (const target of await this.app.store.queue.counts(runId)) {
      overall.pagesDone += target.done + target.failed;
      overall.pagesKnown += target.pending + target.leased + target.done + target.failed;
      overall.records += target.records ?? 0;
      overall.errors += target.failed;
    }
    return overall;
  }
}
