/**
 * A worker's share of a run that another process coordinates (issue 17: `trawl worker` on many
 * machines sharing one PostgreSQL queue). It leases the run's requests, fetches, parses and
 * completes them exactly as the coordinator's crawl does (the same {@link CrawlStep}), and never
 * changes the run's state: only the coordinator's engine does (DESIGN.md §3.2). It follows the
 * run instead: when the run stops running, or is asked to pause, stop or be cancelled, the share
 * finishes what it started (cancel: aborts it), gives back what it leased and leaves; it leaves
 * too when the crawl is over (nothing pending or leased by anyone).
 */
import { describeError, type Clock, type EventBus, type LogLevel } from "../core/index.ts";
import type { Fetcher, SecretSource } from "../fetch/index.ts";
import type { CompiledScraper } from "../pipeline/index.ts";
import type { RunRecord, Store } from "../store/index.ts";
import { autoscalerFor } from "./autoscaler.ts";
import { CrawlStep, type CrawlOutcome } from "./crawl-step.ts";
import { pacedRead } from "./paced-read.ts";
import { ProgressTracker } from "./progress-tracker.ts";
import { attemptEvent } from "./request-report.ts";
import type { ResourceGovernor } from "./governor.ts";
import { RunControls } from "./run-controls.ts";
import { RunStats, type HostRate, type RunStatsSnapshot } from "./run-stats.ts";
import type { EngineOptions } from "./types.ts";

/** How often a share looks at its run's state (and the queue's counts). */
const FOLLOW_MS = 500;

export type ShareDeps = Required<
  Pick<EngineOptions, "store" | "createFetcher" | "normalizeUrl" | "clock" | "bus">
> & {
  owner: string;
  parseThreads: number;
  secrets?: SecretSource;
  /** At most this many requests in flight (below the scraper's own concurrency). */
  concurrency?: number;
  /** The process's resource governor: under memory pressure a share slows down as a run does. */
  governor?: Pick<ResourceGovernor, "track">;
};

export class RunShare {
  readonly controls = new RunControls();
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly bus: EventBus;
  private readonly progress: ProgressTracker;
  /** The fetch statistics of this process's share of the run, over every time it joined it. */
  private stats = new RunStats();
  private crawl: CrawlStep | undefined;
  /** The share's fetcher while it crawls: its proxies' counts go into the stored statistics. */
  private fetcher: Fetcher | undefined;
  /** Pages this share finished. */
  private finished = 0;
  /** Looks at the run so far: the queue's counts are read at every fourth. */
  private looks = 0;
  /** The queue's counts (every process's pages), read at most a twentieth of the time. */
  private readonly fleetCounts = pacedRead(() => this.store.queue.counts(this.run.id), 0.05);

  /** The run's scraper, with the worker's concurrency when that is lower. */
  private readonly scraper: CompiledScraper;

  constructor(
    private readonly deps: ShareDeps,
    private readonly run: RunRecord,
    scraper: CompiledScraper,
  ) {
    this.scraper = withConcurrencyAtMost(scraper, deps.concurrency);
    this.store = deps.store;
    this.clock = deps.clock;
    this.bus = deps.bus;
    this.progress = new ProgressTracker(run.targets);
  }

  /** Pages this share finished (stored: a refused late completion is not one). */
  get pages(): number {
    return this.finished;
  }

  /** Requests this share may have in flight now (the autoscaler's find for `concurrency: auto`). */
  get concurrency(): number {
    return this.crawl?.concurrencyNow ?? this.scraper.politeness.concurrency;
  }

  /** Requests this share holds leased now. */
  get leases(): number {
    return this.crawl?.held ?? 0;
  }

  /** The rate limiter's view of each host the share fetches from (the process's metrics read it). */
  hostRates(): readonly HostRate[] {
    return this.fetcher?.hostStats?.() ?? [];
  }

  /** Crawls the share; resolves when it leaves the run (see the module's comment). */
  async execute(): Promise<CrawlOutcome> {
    const runId = this.run.id;
    const { scraper } = this;
    // Charged as a run of this process (no limits: a run's limits are its coordinator's).
    const usage = await this.deps.governor?.track(runId, {
      limits: {},
      cpuSecondsBefore: 0,
      active: () => true,
      log: (level, message) => this.log(level, message),
    });
    // `concurrency: auto`: each process finds its own, from the answers it gets.
    const autoscaler = autoscalerFor(scraper.politeness, this.clock, (level, text) => this.log(level, text));
    const fetcher = this.deps.createFetcher({
      run: this.run,
      scraper,
      onAttempt: (attempt) => {
        this.stats.record(attempt);
        autoscaler?.observe(attempt);
        this.bus.emit(attemptEvent(runId, attempt));
      },
      log: (level, message) => this.log(level, message),
      ...(this.deps.secrets && { secrets: this.deps.secrets }),
    });
    this.fetcher = fetcher;
    const follower = setInterval(() => void this.follow(), FOLLOW_MS);
    // A command reaches the share at once through the database's notifications; `follow` polls.
    const unwatch = this.store.runs.watchControls?.((id, command) => {
      if (id !== runId || command === "resume") return;
      this.log(
        "info",
        `${command} asked: leaving the run${command === "cancel" ? "" : " after the pages in flight"}`,
      );
      this.leaveFor(command);
    });
    const context = {
      runId,
      signal: this.controls.signal,
      log: (level: LogLevel, text: string) => this.log(level, text),
    };
    try {
      this.progress.refresh(await this.store.queue.counts(runId));
      const before = (await this.store.runs.shareStats?.(runId))?.find((s) => s.worker === this.deps.owner);
      if (before) this.stats = new RunStats(before.stats as Partial<RunStatsSnapshot>);
      this.crawl = new CrawlStep({
        runId,
        owner: this.deps.owner,
        store: this.store,
        scraper,
        fetcher,
        controls: this.controls,
        progress: this.progress,
        clock: this.clock,
        scraperContext: context,
        normalizeUrl: this.deps.normalizeUrl,
        runningSeconds: () => 0,
        // A pause is the coordinator's to record: the share leaves and rejoins when the run runs.
        holdWhilePaused: async () => this.controls.request("stop"),
        emit: (event) => {
          if (event.type === "request.finished" || event.type === "request.failed") this.finished++;
          this.bus.emit(event);
        },
        log: (level, message) => this.log(level, message),
        parseThreads: this.deps.parseThreads,
        ...(autoscaler && { autoscaler }),
        ...(usage && { governed: usage }),
      });
      await this.scraper.setup?.(context);
      return await this.crawl.run();
    } finally {
      usage?.release();
      autoscaler?.close();
      clearInterval(follower);
      unwatch?.();
      await this.saveStats();
      await this.cleanup(context);
      await fetcher.close();
    }
  }

  private async cleanup(context: Parameters<NonNullable<CompiledScraper["cleanup"]>>[0]): Promise<void> {
    try {
      await this.scraper.cleanup?.(context);
    } catch (error) {
      this.log("error", `cleanup hook failed: ${describeError(error)}`);
    }
  }

  /** Leaves the run on a command: cancel aborts the pages in flight, pause and stop finish them. */
  private leaveFor(command: "pause" | "stop" | "cancel"): void {
    this.controls.request(command === "cancel" ? "cancel" : "stop");
  }

  /** Looks at the run: a command or a state other than running makes the share leave. */
  private async follow(): Promise<void> {
    try {
      const run = await this.store.runs.get(this.run.id);
      if (!run || run.status === "cancelled") this.leaveFor("cancel");
      else if (run.control && run.control !== "resume") this.leaveFor(run.control);
      else if (run.status !== "running") this.leaveFor("stop");
      // Progress counts everyone's pages (max_pages); a grouped count, so not at every look.
      else if (this.looks++ % 4 === 0) {
        const counts = await this.fleetCounts();
        if (counts) this.progress.refresh(counts);
        await this.saveStats();
      }
    } catch (error) {
      this.log("warn", `could not read the run's state: ${describeError(error)}`);
    }
  }

  /** Stores the share's fetch statistics (the run's summary adds them to its coordinator's). */
  private async saveStats(): Promise<void> {
    const { store, clock, deps, run } = this;
    const proxies = this.fetcher?.proxyStats?.();
    if (proxies) this.stats.recordProxies(proxies);
    await store.runs
      .saveShareStats?.(run.id, deps.owner, this.stats.snapshot(this.finished, 0), clock.now())
      .catch((error: unknown) => this.log("warn", `could not store its statistics: ${describeError(error)}`));
  }

  private log(level: LogLevel, message: string): void {
    const at = this.clock.now();
    const line = `worker ${this.deps.owner}: ${message}`;
    this.bus.emit({ type: "log.written", runId: this.run.id, level, message: line, at });
    if (level === "debug" || level === "info") return;
    void this.store.logs.append(this.run.id, level, line, at).catch(() => undefined);
  }
}

/**
 * The run's scraper with at most `concurrency` requests in flight (a worker's `--concurrency`);
 * an autoscaled concurrency keeps scaling, within that.
 */
function withConcurrencyAtMost(scraper: CompiledScraper, concurrency: number | undefined): CompiledScraper {
  const { politeness } = scraper;
  if (concurrency === undefined || concurrency >= politeness.concurrency) return scraper;
  const { autoscale } = politeness;
  const capped = autoscale && {
    start: Math.min(autoscale.start, concurrency),
    min: Math.min(autoscale.min, concurrency),
    max: concurrency,
  };
  return { ...scraper, politeness: { ...politeness, concurrency, ...(capped && { autoscale: capped }) } };
}
