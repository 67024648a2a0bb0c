import type { Clock, EventBus, LogLevel, RunStatus, TrawlEvent } from "../core/index.ts";
import { describeError } from "../core/index.ts";
import type { Fetcher, SecretSource } from "../fetch/index.ts";
import type { CompiledScraper, ScraperContext, StepContext } from "../pipeline/index.ts";
import type { RunControl, RunRecord, Store } from "../store/index.ts";
import { keptExtractions } from "./kept-extractions.ts";
import { attemptEvent } from "./request-report.ts";
import { CrawlStep, type CrawlOutcome } from "./crawl-step.ts";
import type { PageTypeHealth } from "../core/contract/runs.ts";
import { checkCrawl } from "./crawl-verdict.ts";
import { engineError, StepFailedError } from "./errors.ts";
import { runPostStep } from "./post-step.ts";
import { ProgressEvents } from "./progress-events.ts";
import { pacedRead } from "./paced-read.ts";
import { ProgressTracker } from "./progress-tracker.ts";
import { RunControls } from "./run-controls.ts";
import { RunningTime } from "./running-time.ts";
import { RunStats, type RunStatsSnapshot } from "./run-stats.ts";
import type { RunUsage } from "./run-usage.ts";
import { SelectorTally, unmatchedSelectors } from "./selector-tally.ts";
import { startUrlBatches } from "./start-urls.ts";
import { autoscalerFor } from "./autoscaler.ts";
import { describeStanding, STEPS_ON_STATUS } from "./transitions.ts";
import type { EngineOptions } from "./types.ts";

/** A run's stored statistics: the fetch statistics, selector health and CPU time charged beside them. */
export type StoredStats = RunStatsSnapshot & { selectors?: PageTypeHealth[]; cpuSeconds?: number };

type SessionDeps = Required<
  Pick<EngineOptions, "store" | "createFetcher" | "publish" | "normalizeUrl" | "clock" | "bus">
> & {
  owner: string;
  heartbeatMs: number;
  /** The process that held the run before this one claimed it (gone: its leases come back at once). */
  previousOwner?: string;
  parseThreads: number;
  startDatasets?: EngineOptions["startDatasets"];
  /** The run's secrets, opened by the engine before the session. */
  secrets?: SecretSource;
  /** What the resource governor charges the run; it also says when the run went over a limit. */
  usage?: RunUsage;
};

/**
 * One execution of a run inside this process, from claim to the moment it lets go: finished,
 * stopped (resumable) or cancelled. It is the only code that changes the run's state.
 */
export class RunSession {
  readonly controls = new RunControls();
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly bus: EventBus;
  private readonly stats: RunStats;
  private readonly selectors: SelectorTally;
  private progress!: ProgressTracker;
  private fetcher?: Fetcher;
  private heartbeat?: NodeJS.Timeout;
  private readonly running: RunningTime;
  private readonly progressEvents: ProgressEvents;
  private pauseReason: string | null;
  private dataset: { name: string; version: number } | null = null;
  private crawlStep: CrawlStep | undefined;
  /** A shared queue's counts (every process's pages), read at most a twentieth of the time. */
  private readonly fleetCounts = pacedRead(() => this.store.queue.counts(this.runId), 0.05);

  constructor(
    private readonly deps: SessionDeps,
    private readonly run: RunRecord,
    private readonly scraper: CompiledScraper,
  ) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.bus = deps.bus;
    this.progressEvents = new ProgressEvents(
      run.id,
      () => this.progress,
      this.clock,
      (e) => this.emit(e),
    );
    const previous = run.stats as Partial<RunStatsSnapshot>;
    this.stats = new RunStats(previous);
    this.selectors = new SelectorTally(scraper.pages, (run.stats as Partial<StoredStats>).selectors);
    this.running = new RunningTime(this.clock, previous.runningSeconds ?? 0);
    this.pauseReason = run.pauseReason;
    if (run.datasetName && run.datasetVersion)
      this.dataset = { name: run.datasetName, version: run.datasetVersion };
  }

  get runId(): string {
    return this.run.id;
  }

  /** Requests the crawl holds leased now (0 outside the crawl step). */
  get leases(): number {
    return this.crawlStep?.held ?? 0;
  }

  /** Requests it may have in flight now (the autoscaler's find for `concurrency: auto`). */
  get concurrency(): number {
    return this.crawlStep?.concurrencyNow ?? this.scraper.politeness.concurrency;
  }

  /** Executes the run until it finishes or lets go; resolves to the stored run afterwards. */
  async execute(): Promise<RunRecord> {
    const resumed = this.run.status !== "queued";
    const context = this.scraperContext();
    try {
      await this.store.queue.reclaim(this.runId, this.clock.now(), this.deps.previousOwner);
      this.progress = new ProgressTracker(this.run.targets, await this.store.queue.counts(this.runId));
      // The run executes this definition from now on (its workers load it from there: see trawl worker).
      const definition = {
        definitionHash: this.scraper.hash,
        source: this.scraper.source ?? this.run.source,
      };
      await this.setStatus("running", {
        startedAt: this.run.startedAt ?? this.clock.now(),
        error: null,
        ...definition,
      });
      this.emit({ type: "run.started", runId: this.runId, resumed });
      if (resumed) this.log("info", `resumed (it was ${describeStanding(this.run)})`);
      if (resumed && this.run.definitionHash !== this.scraper.hash) {
        this.log(
          "warn",
          "the scraper definition changed since this run started; continuing with the new one",
        );
      }
      this.startHeartbeat();
      await this.scraper.setup?.(context);
      const outcome = await this.runSteps(context);
      await this.finish(outcome);
    } catch (error) {
      this.log("error", describeError(error));
      await this.end("failed", describeError(error));
    } finally {
      await this.release(context);
    }
    return (await this.store.runs.get(this.runId))!;
  }

  /** Applies a control command now (from this process or picked up by the heartbeat). */
  control(command: RunControl): void {
    this.controls.request(command);
  }

  private async runSteps(context: ScraperContext): Promise<CrawlOutcome> {
    const steps = await this.store.steps.list(this.runId);
    for (const step of steps) {
      if (step.status === "done") continue;
      await this.breakAt(step.name);
      if (this.controls.is("stop")) return "stopped";
      if (this.controls.is("cancel")) return "cancelled";
      await this.store.steps.start(this.runId, step.index, this.clock.now());
      this.emit({ type: "step.started", runId: this.runId, step: step.name, index: step.index });
      const { outcome, records, result } = await this.runStep(step.index, context);
      if (outcome !== "finished") return outcome;
      await this.store.steps.finish(this.runId, step.index, records, result, this.clock.now());
      this.emit({ type: "step.finished", runId: this.runId, step: step.name, index: step.index, records });
    }
    return "finished";
  }

  private async runStep(index: number, context: ScraperContext) {
    if (index === 0) {
      const outcome = await this.crawl(context);
      if (outcome === "finished") {
        for (const line of unmatchedSelectors(this.selectors.snapshot())) this.log("warn", line);
        await checkCrawl({
          runId: this.runId,
          scraper: this.scraper,
          store: this.store,
          progress: this.progress,
          selectors: this.selectors,
        });
      }
      return { outcome, records: await this.store.records.count(this.runId, 0), result: {} };
    }
    const step = this.scraper.steps[index - 1];
    if (!step) throw engineError("TRAWL_ERR_ENGINE_STEP_MISSING", { index });
    try {
      const { records, result } = await runPostStep(
        this.store,
        this.runId,
        step,
        index,
        this.stepContext(context),
      );
      if (result.dataset) this.dataset = result.dataset;
      return { outcome: "finished" as const, records, result: { ...result } };
    } catch (error) {
      if (this.controls.is("cancel")) return { outcome: "cancelled" as const, records: 0, result: {} };
      throw new StepFailedError(step.name, error);
    }
  }

  private async crawl(context: ScraperContext): Promise<CrawlOutcome> {
    const autoscaler = autoscalerFor(this.scraper.politeness, this.clock, (level, text) =>
      this.log(level, text),
    );
    this.fetcher = this.deps.createFetcher({
      run: this.run,
      scraper: this.scraper,
      onAttempt: (attempt) => {
        this.stats.record(attempt);
        autoscaler?.observe(attempt);
        this.emit(attemptEvent(this.runId, attempt));
      },
      log: (level, message) => this.log(level, message),
      ...(this.deps.secrets && { secrets: this.deps.secrets }),
    });
    const crawl = (this.crawlStep = new CrawlStep({
      runId: this.runId,
      owner: this.deps.owner,
      store: this.store,
      scraper: this.scraper,
      fetcher: this.fetcher,
      controls: this.controls,
      progress: this.progress,
      clock: this.clock,
      scraperContext: context,
      normalizeUrl: this.deps.normalizeUrl,
      runningSeconds: () => this.running.seconds(),
      holdWhilePaused: () => this.holdWhilePaused("user"),
      emit: (event) => {
        this.emit(event);
        if (event.type === "request.finished" || event.type === "request.failed")
          this.progressEvents.changed();
      },
      log: (level, message) => this.log(level, message),
      parseThreads: this.deps.parseThreads,
      ...(this.deps.usage && { governed: this.deps.usage }),
      ...(autoscaler && { autoscaler }),
      ...(this.scraper.politeness.cache === "revalidate" && {
        extractionMemo: keptExtractions(this.store, this.scraper.name),
      }),
      parsed: (pageType, output) => this.selectors.count(pageType, output),
      startUrls: () =>
        startUrlBatches(this.scraper, this.run.options.startData, this.deps.startDatasets, (level, message) =>
          this.log(level, message),
        ),
    }));
    const outcome = await crawl.run().finally(() => {
      autoscaler?.close();
      this.crawlStep = undefined;
    });
    if (outcome === "finished") this.progress.finish();
    this.progressEvents.now();
    return outcome;
  }

  /** Pauses before a step named in the run's breakpoints, unless the run was resumed from that very breakpoint. */
  private async breakAt(step: string): Promise<void> {
    if (!this.run.breakpoints.includes(step)) return;
    if (this.pauseReason === `breakpoint:${step}`) {
      this.pauseReason = null;
      return;
    }
    this.controls.request("pause");
    await this.holdWhilePaused(`breakpoint:${step}`);
  }

  /** If a pause was asked for, records it and waits for resume, stop or cancel. */
  private async holdWhilePaused(reason: string): Promise<void> {
    if (!this.controls.is("pause")) return;
    this.pauseReason = reason;
    this.running.stop();
    await this.setStatus("paused", { pauseReason: reason });
    const step = reason.startsWith("breakpoint:") ? reason.slice("breakpoint:".length) : undefined;
    this.emit({
      type: "run.paused",
      runId: this.runId,
      reason: step ? "breakpoint" : "user",
      ...(step && { step }),
    });
    this.log("info", step ? `paused at breakpoint before step ${step}` : "paused");
    // Nothing else is pending while paused: the heartbeat, which brings the resume, keeps the process alive.
    this.heartbeat?.ref();
    try {
      while (this.controls.is("pause")) await this.controls.changed();
    } finally {
      this.heartbeat?.unref();
    }
    if (!this.controls.is("run")) return;
    this.pauseReason = null;
    this.running.start();
    await this.setStatus("running", { pauseReason: null });
    this.emit({ type: "run.resumed", runId: this.runId });
    this.log("info", "resumed");
  }

  private async finish(outcome: CrawlOutcome): Promise<void> {
    if (outcome === "finished") return this.end("succeeded");
    if (outcome === "cancelled") return this.end("cancelled");
    // Stopped: resumable. At a breakpoint it keeps that reason (resume passes it); at a limit, the limit's.
    const limit = this.deps.usage?.exceeded();
    const reason = this.pauseReason?.startsWith("breakpoint:") ? this.pauseReason : (limit ?? "stopped");
    this.running.stop();
    await this.setStatus("paused", { pauseReason: reason, owner: null });
    this.emit({ type: "run.paused", runId: this.runId, reason: "stopped" });
    this.log("info", "stopped; resume with `trawl resume " + this.runId + "`");
  }

  private async end(status: RunStatus, error?: string): Promise<void> {
    if (status === "cancelled") this.log("warn", "cancelled: the run cannot be resumed");
    if (status === "succeeded") this.log("info", "succeeded");
    this.running.stop();
    await this.setStatus(status, {
      finishedAt: this.clock.now(),
      owner: null,
      pauseReason: null,
      error: error ?? null,
      datasetName: this.dataset?.name ?? null,
      datasetVersion: this.dataset?.version ?? null,
    });
    this.emit({ type: "run.finished", runId: this.runId, status, ...(error && { error }) });
  }

  private async release(context: ScraperContext): Promise<void> {
    clearInterval(this.heartbeat);
    try {
      await this.scraper.cleanup?.(context);
    } catch (error) {
      this.log("error", `cleanup hook failed: ${describeError(error)}`);
    }
    await this.fetcher?.close();
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => void this.beat(), this.deps.heartbeatMs);
    this.heartbeat.unref();
  }

  private async beat(): Promise<void> {
    try {
      const command = await this.store.runs.heartbeat(this.runId, this.deps.owner, this.clock.now());
      if (command) this.control(command);
      // Workers on other machines finish pages too: the progress (and max_pages) counts theirs.
      const counts = this.store.queue.shared && this.progress ? await this.fleetCounts() : undefined;
      if (counts) this.progress.refresh(counts);
      await this.store.runs.update(this.runId, { stats: { ...this.statsSnapshot() } });
    } catch (error) {
      this.log("warn", `heartbeat failed: ${describeError(error)}`);
    }
  }

  /**
   * The run's fetch statistics so far. Every status change stores them with the status, so the
   * stored run's last statistics are those of the moment it ended or paused.
   */
  statsSnapshot(): StoredStats {
    const rates = this.fetcher?.hostStats?.();
    if (rates) this.stats.recordHostRates(rates);
    const proxies = this.fetcher?.proxyStats?.();
    if (proxies) this.stats.recordProxies(proxies);
    const stats = this.stats.snapshot(this.progress?.pagesDone() ?? 0, this.running.seconds());
    const cpu = this.deps.usage && { cpuSeconds: Math.round(this.deps.usage.cpuSeconds() * 1000) / 1000 };
    return { ...stats, selectors: this.selectors.snapshot(), ...cpu };
  }

  /** Stores a new status with its steps' states and the statistics so far, in one transaction. */
  private async setStatus(status: RunStatus, patch: Partial<RunRecord> = {}): Promise<void> {
    if (status === "running") this.running.start();
    await this.store.runs.transition(this.runId, {
      patch: { ...patch, status, stats: { ...this.statsSnapshot() }, updatedAt: this.clock.now() },
      steps: STEPS_ON_STATUS[status],
    });
  }

  private emit(event: TrawlEvent): void {
    this.bus.emit(event);
  }

  private log(level: LogLevel, message: string): void {
    const at = this.clock.now();
    this.emit({ type: "log.written", runId: this.runId, level, message, at });
    if (level === "debug") return;
    // Logging must never fail a run; the event above already carried the line.
    void this.store.logs.append(this.runId, level, message, at).catch(() => undefined);
  }

  private scraperContext(): ScraperContext {
    return {
      runId: this.runId,
      signal: this.controls.signal,
      log: (level, message) => this.log(level, message),
    };
  }

  private stepContext(context: ScraperContext): StepContext {
    return {
      ...context,
      scraper: this.scraper.name,
      publish: (name, records, options) =>
        this.deps.publish({ name, runId: this.runId, scraper: this.scraper.name, records, ...options }),
    };
  }
}
