/**
 * `trawl worker` (issue 17): a process that serves the running runs of a shared PostgreSQL
 * database, from any machine. Every second (sooner when the queue notifies new requests) it looks
 * for runs whose crawl is under way, loads each one's definition from the file the run was started
 * from (the same path on every machine, as a deployment puts it there) and joins it as one worker
 * among others (`Engine.join`). Only the coordinator, the process that executes the run, changes
 * its state; a worker leaves a run when its crawl is over or it stops running.
 */
import { describeBytes, describeError, type LogLevel } from "../core/index.ts";
import { loadScraper, type CompiledScraper } from "../pipeline/index.ts";
import type { RunRecord } from "../store/index.ts";
import type { App } from "./app.ts";
import { appError } from "./errors.ts";
import { WorkerReporter, type WorkerActivity } from "./worker-reporter.ts";

/** How often the worker looks for runs to join when nothing wakes it sooner. */
const LOOK_MS = 1000;
/**
 * A run the worker left at a pause or stop still reads `running` while its coordinator finishes
 * its own pages: it is joined again once it ran again (its coordinator was seen not running, or a
 * resume was heard), or after this long whatever was seen.
 */
const REJOIN_AFTER_MS = 10_000;

export interface FleetWorkerOptions {
  /** The runs to serve; absent: every running run. With it, the worker ends once they all ended. */
  runs?: readonly string[];
  /** At most this many requests in flight per run (below each scraper's own concurrency). */
  concurrency?: number;
  log(level: LogLevel, message: string): void;
}

export class FleetWorker {
  /** Runs joined now, each with the promise of its share. */
  private readonly joined = new Map<string, Promise<void>>();
  /** Runs not to join again: their crawl is over for this worker, or cancelled. */
  private readonly done = new Set<string>();
  /** Runs whose definition cannot be used here, with its hash then (a resume may change it). */
  private readonly refused = new Map<string, string>();
  private wake: (() => void) | undefined;
  /** Runs left at a pause or stop, and when (see {@link REJOIN_AFTER_MS}). */
  private readonly paused = new Map<string, number>();
  /** Whether the governor let one more run start at the last look (see {@link roomForMore}). */
  private hadRoom = true;
  /** Pages of the shares that ended (the fleet's pages per second counts them too). */
  private pagesBefore = 0;

  /** @throws `TRAWL_ERR_APP_WORKER_NEEDS_SHARED_DATABASE` when the app's store is not shared (SQLite). */
  constructor(
    private readonly app: App,
    private readonly options: FleetWorkerOptions,
  ) {
    if (!app.store.queue.shared)
      throw appError("TRAWL_ERR_APP_WORKER_NEEDS_SHARED_DATABASE", { home: app.paths.home });
  }

  /** Serves runs until `signal` aborts (then lets every share finish what it started) or, with `runs`, they all ended. */
  async run(signal: AbortSignal): Promise<void> {
    const { store, engine } = this.app;
    // New requests of a run it does not serve yet: a run just started (its shares wake themselves).
    const unwatch = store.queue.watch?.((runId) => {
      if (!this.joined.has(runId) && !this.done.has(runId)) this.wake?.();
    });
    const unwatchControls = store.runs.watchControls?.((runId, command) => {
      if (command === "resume" && this.paused.delete(runId)) this.wake?.();
    });
    // `trawl workers` and the Workers page list this process, its runs and pace, from any machine.
    const reporter = new WorkerReporter({
      workers: store.workers,
      id: engine.owner,
      kind: "worker",
      activity: () => this.activity(),
      onError: (error) => this.options.log("warn", `could not report to the fleet: ${describeError(error)}`),
    });
    reporter.start();
    const onAbort = () => {
      for (const share of engine.sharing().values()) share.controls.request("stop");
      this.wake?.();
    };
    signal.addEventListener("abort", onAbort);
    try {
      while (!signal.aborted) {
        const runs = await this.look().catch((error: unknown) => {
          // The database out of reach: the shares' leases expire; look again at the next beat.
          this.options.log("warn", `could not look for runs: ${describeError(error)}`);
          return undefined;
        });
        if (runs === "all ended" && this.joined.size === 0) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, LOOK_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      unwatch?.();
      unwatchControls?.();
      await Promise.all(this.joined.values());
      await reporter.stop();
    }
  }

  private activity(): WorkerActivity {
    const shares = [...this.app.engine.sharing()];
    return {
      runs: shares.map(([runId]) => runId),
      leases: shares.reduce((sum, [, share]) => sum + share.leases, 0),
      concurrency: shares.reduce((sum, [, share]) => sum + share.concurrency, 0),
      pagesDone: this.pagesBefore + shares.reduce((sum, [, share]) => sum + share.pages, 0),
    };
  }

  /** Joins the runs that need a worker now; "all ended" once every run named in `runs` ended. */
  private async look(): Promise<"all ended" | undefined> {
    const { store, engine } = this.app;
    const named = this.options.runs;
    // A run whose coordinator died reads `running` until someone notices: its workers do.
    await engine.detectInterrupted();
    const running = await store.runs.list({ statuses: ["running"] });
    const now = this.app.clock.now();
    for (const [runId, leftAt] of this.paused)
      if (!running.some((run) => run.id === runId) || now - leftAt > REJOIN_AFTER_MS)
        this.paused.delete(runId);
    for (const run of running) {
      if (this.paused.has(run.id)) continue;
      if (named && !named.includes(run.id)) continue;
      if (this.joined.has(run.id) || this.done.has(run.id) || engine.session(run.id)) continue;
      if (this.refused.get(run.id) === run.definitionHash) continue;
      const [crawl] = await store.steps.list(run.id);
      if (crawl?.status !== "running") continue;
      // Memory pressure: no new run here until memory allows (its shares already slowed down).
      if (!this.roomForMore()) break;
      const scraper = await this.definitionOf(run);
      if (scraper) this.join(run, scraper);
    }
    if (!named) return undefined;
    const ended = await Promise.all(named.map(async (id) => isOver(await store.runs.get(id))));
    return ended.every(Boolean) ? "all ended" : undefined;
  }

  /**
   * Whether the governor lets one more run start here (under memory pressure, only when nothing
   * runs here: one run at a time); each change is logged once.
   */
  private roomForMore(): boolean {
    const { governor } = this.app.engine;
    const room = governor.hasRoom();
    if (room !== this.hadRoom) {
      const { rss, ceiling, level } = governor.state();
      const memory = `resident ${describeBytes(rss)} of the ${describeBytes(ceiling)} ceiling`;
      if (!room) this.options.log("warn", `memory pressure (${memory}): joining no more runs`);
      else if (level === "ok") this.options.log("info", `memory allows joining runs again (${memory})`);
      else this.options.log("info", `memory pressure (${memory}): nothing runs here, joining one run`);
      this.hadRoom = room;
    }
    return room;
  }

  /** The run's definition as this machine has it, if it is the one the run executes (else logged, once). */
  private async definitionOf(run: RunRecord): Promise<CompiledScraper | undefined> {
    const refuse = (why: string) => {
      this.refused.set(run.id, run.definitionHash);
      this.options.log("warn", `not joining run ${run.id} (${run.scraper}): ${why}`);
      return undefined;
    };
    if (!run.source) return refuse("it has no definition file on record");
    try {
      const scraper = await loadScraper(run.source);
      if (scraper.hash !== run.definitionHash)
        return refuse(`${run.source} on this machine differs from the definition the run executes`);
      return scraper;
    } catch (error) {
      return refuse(`its definition ${run.source} cannot be loaded here: ${describeError(error)}`);
    }
  }

  private join(run: RunRecord, scraper: CompiledScraper): void {
    const { log, concurrency } = this.options;
    log("info", `joined run ${run.id} (${run.scraper})`);
    const share = this.app.engine
      .join(run.id, scraper, concurrency === undefined ? {} : { concurrency })
      .then(
        ({ outcome, pages }) => {
          this.pagesBefore += pages;
          if (outcome === "stopped") this.paused.set(run.id, this.app.clock.now());
          const why = outcome === "finished" ? "its crawl is over" : outcome;
          log("info", `left run ${run.id} (${pages} pages here): ${why}`);
          if (outcome === "finished" || outcome === "cancelled") this.done.add(run.id);
        },
        (error: unknown) => {
          // The run goes on without this worker; its leases expire and others take them.
          log("error", `left run ${run.id}: ${describeError(error)}`);
          this.done.add(run.id);
        },
      )
      .finally(() => {
        this.joined.delete(run.id);
        this.wake?.();
      });
    this.joined.set(run.id, share);
  }
}

/** True when a run will not run again: gone, or finished one way or another. */
function isOver(run: RunRecord | null): boolean {
  return !run || run.status === "succeeded" || run.status === "failed" || run.status === "cancelled";
}
