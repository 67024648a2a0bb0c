import { mkdirSync } from "node:fs";
import { systemClock, type Clock, trawlConfig, homePaths } from "../core/index.ts";
import { cleanupInterruptedPublishes, DatasetLibrary } from "../datasets/index.ts";
import { AuditedEngine } from "./audited-engine.ts";
import { auditedSchedules } from "./audited-schedules.ts";
import {
  ResourceGovernor,
  type DatasetPublisher,
  type FetcherFactory,
  type GovernorOptions,
} from "../engine/index.ts";
import { normalizeUrl, type SessionCipher } from "../fetch/index.ts";
import { liveFetcher } from "./live-fetcher.ts";
import { startDatasetReader } from "./start-datasets.ts";
import { Scheduler, type SchedulerOptions } from "../scheduler/index.ts";
import { engineScheduleRunner } from "./schedule-runner.ts";
import { openPgStore, openSqliteStore, type RunRecord, type Store } from "../store/index.ts";
import { ApiTokens, AppLock, AuditLog, SecretVault, type AuditActor } from "../security/index.ts";
import { appError } from "./errors.ts";
import { loadScraper, type CompiledScraper } from "../pipeline/index.ts";
import { requireRun } from "./compare-runs.ts";
import { describeRun, type RunSummary } from "./run-summary.ts";
import { mirrorRunEvent, startRunTracing, type RunTracing } from "../observe/index.ts";
import { commandOfProcess, reportWhileExecuting } from "./worker-reporter.ts";

/** How to open the app. */
export interface AppOptions {
  /** The data directory. @defaultValue `trawlConfig().home` ($TRAWL_HOME, else the XDG data dir) */
  home?: string;
  /**
   * A PostgreSQL database for the store (runs, records, schedules…) instead of the data
   * directory's SQLite file. It keeps datasets and recordings' bodies too (`home` keeps copies);
   * sessions and logs stay in `home`.
   */
  databaseUrl?: string;
  clock?: Clock;
  /** Parse threads of a crawl (see `EngineOptions.parseThreads`). */
  parseThreads?: number;
  /** Fetches the pages of runs. @defaultValue `liveFetcher`: the network, capturing as asked */
  createFetcher?: FetcherFactory;
  /** The datasets (a folder, or another app's) `start: { dataset }` reads. @defaultValue this app's */
  startDatasets?: string | DatasetLibrary;
  /** Who this process's commands are recorded as in the audit log. @defaultValue `cli` */
  actor?: AuditActor;
  /** The resource governor's settings (docs/limits.md). @defaultValue its ceiling from `TRAWL_MEMORY_CEILING` */
  governor?: GovernorOptions;
  /** What this process is in the fleet's reports (`trawl workers`). @defaultValue its command: `run`, `serve`, … */
  kind?: string;
}

/**
 * The facade of one process: the store, the engine and the datasets folder, wired together.
 * Commands, the server and the scheduler use this instead of assembling layers themselves.
 */
export class App {
  readonly paths: ReturnType<typeof homePaths>;
  readonly store: Store;
  /** The engine; its run commands are recorded in the audit log (see `AuditedEngine`). */
  readonly engine: AuditedEngine;
  readonly clock: Clock;
  /** The data directory's audit log (docs/security.md). */
  readonly audit: AuditLog;
  /**
   * The datasets: the data directory's folder, or on a PostgreSQL store the database's versions
   * (every machine's), with the folder as their cache.
   */
  readonly datasets: DatasetLibrary;
  /**
   * Who this process's commands and schedule changes are recorded as: `cli`, or `api` once
   * `trawl serve` serves this app. The scheduler's own are recorded as `scheduler`.
   */
  actor: AuditActor;
  /** The secrets vault of the data directory (`trawl secrets`, `{{ secret.NAME }}`). */
  readonly secrets: SecretVault;
  /** The app lock: the PIN, unlock attempts and sessions (docs/security.md "PIN and sessions"). */
  readonly lock: AppLock;
  /** Named API tokens for scripts while a PIN locks the app. */
  readonly apiTokens: ApiTokens;
  /** Encrypts the browser sessions kept between runs with the vault's data key (cookies are credentials). */
  readonly sessionCipher: SessionCipher;
  /** Runs this process executes in the background (started or resumed through the API). */
  private readonly background = new Set<Promise<unknown>>();
  /** Stops mirroring the engine's run log lines into the process log. */
  private readonly stopMirroring: () => void;
  /** Traces of the runs, exported over OTLP when an endpoint is configured (docs/metrics.md). */
  private tracing: RunTracing | undefined;
  /** Reports this process to the fleet once it executes a run (worker-reporter.ts). */
  private readonly fleetReport: { stop(): Promise<void> };

  private constructor(paths: ReturnType<typeof homePaths>, store: Store, options: AppOptions) {
    this.paths = paths;
    this.datasets = new DatasetLibrary(paths.datasets, store.datasetFiles);
    const clock = (this.clock = options.clock ?? systemClock);
    const audit = (this.audit = new AuditLog(store.audit, paths.auditHead, clock));
    this.actor = options.actor ?? "cli";
    this.store = { ...store, schedules: auditedSchedules(store.schedules, audit, () => this.actor) };
    const secrets = (this.secrets = new SecretVault({
      store: store.secrets,
      keysDir: paths.keys,
      fromEnv: trawlConfig().masterKey,
      now: () => clock.now(),
      audit: { log: audit, actor: () => this.actor },
    }));
    const audited = { log: audit, actor: () => this.actor };
    this.lock = new AppLock({ store: store.lock, clock, audit: audited });
    this.apiTokens = new ApiTokens(store.lock, clock, audited);
    this.sessionCipher = {
      seal: (plaintext, scraper) => secrets.sealSession(plaintext, scraper),
      open: (sealed, scraper) => secrets.openSession(sealed, scraper),
    };
    this.engine = new AuditedEngine(
      {
        store,
        clock,
        ...(options.parseThreads !== undefined && { parseThreads: options.parseThreads }),
        normalizeUrl: (url) => normalizeUrl(url),
        createFetcher: options.createFetcher ?? liveFetcher(paths, store, clock, this.sessionCipher),
        publish: this.publisher(),
        startDatasets: startDatasetReader(
          typeof options.startDatasets === "string"
            ? new DatasetLibrary(options.startDatasets)
            : (options.startDatasets ?? this.datasets),
        ),
        openSecrets: (names, use) => secrets.forRun(names, use),
        ...(options.governor && { governor: new ResourceGovernor(options.governor) }),
      },
      audit,
      () => this.actor,
    );
    // The one seam where run log lines (stored by the engine) reach the process log too.
    this.stopMirroring = this.engine.bus.subscribe(mirrorRunEvent);
    this.fleetReport = reportWhileExecuting(this.engine, {
      workers: store.workers,
      kind: options.kind ?? commandOfProcess(),
      clock,
    });
  }

  /** Opens the data directory: the database (checked and migrated) and leftovers of interrupted publishes cleaned. */
  static async open(options: AppOptions = {}): Promise<App> {
    const paths = homePaths(options.home ?? trawlConfig().home);
    // The data directory is its owner's alone (the access token, secrets and sessions live there):
    // other users of the machine may not even list it. One that exists already is left as it is.
    mkdirSync(paths.home, { recursive: true, mode: 0o700 });
    const { leaseMs } = trawlConfig();
    const store = options.databaseUrl
      ? await openPgStore(options.databaseUrl, leaseMs === undefined ? {} : { leaseMs })
      : openSqliteStore(paths.database, { backupDir: paths.backups });
    await cleanupInterruptedPublishes(paths.datasets);
    const app = new App(paths, store, options);
    // The command (`run`, `serve`, `scheduler`) tells the processes' traces apart.
    if (trawlConfig().tracing)
      app.tracing = await startRunTracing(app.engine.bus, process.argv[2] ?? "trawl");
    return app;
  }

  /**
   * Publishes to the datasets (see `datasets`). A step re-run after a crash that came after its publish
   * finds the version its run already wrote and reuses it, instead of publishing a duplicate.
   */
  private publisher(): DatasetPublisher {
    return async ({ name, runId, scraper, records, formats }) => {
      const versions = await this.datasets.versions(name);
      const existing = versions.find((version) => version.runId === runId);
      if (existing) {
        // Drain anyway: the step passes records on to later steps as they are read.
        for await (const _record of records);
        return { name, version: existing.version, records: existing.records };
      }
      const manifest = await this.datasets.publish({
        name,
        runId,
        scraper,
        records,
        ...(formats && { formats }),
      });
      return { name, version: manifest.version, records: manifest.records };
    };
  }

  /**
   * A scheduler that starts its runs on this process's engine. `owner` defaults to the engine's
   * identity, so runs and the scheduler answer to the same process.
   */
  scheduler(options: Partial<Omit<SchedulerOptions, "schedules" | "runner">> = {}): Scheduler {
    return new Scheduler({
      schedules: this.store.schedules,
      runner: engineScheduleRunner(this.engine, this.store),
      clock: this.clock,
      owner: this.engine.owner,
      log: () => undefined,
      ...options,
    });
  }

  /** The run's summary, with the live statistics of its session when this process executes it. */
  describe(run: RunRecord): Promise<RunSummary> {
    return describeRun(this.store, run, this.engine.session(run.id)?.statsSnapshot());
  }

  /**
   * Executes a run in the background: a queued one starts, a stopped or interrupted one resumes.
   * Resolves once it runs here, or waits for memory (the governor holds it); rejects with what
   * kept it from starting (its state, another
   * process holding it, unset variables). `onError` hears of an execution that broke later.
   */
  async launch(runId: string, scraper: CompiledScraper, onError: (error: unknown) => void): Promise<void> {
    let unsubscribe = () => {};
    let held = () => {};
    const started = new Promise<void>((resolve) => {
      held = resolve;
      unsubscribe = this.engine.bus.subscribe((event) => {
        if (event.type === "run.started" && event.runId === runId) resolve();
      });
    });
    const execution = this.engine.execute(runId, scraper, { onHeld: () => held() });
    const tracked = execution.catch(onError).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
    try {
      await Promise.race([started, execution]);
    } finally {
      unsubscribe();
    }
  }

  /**
   * Resumes a run: one paused by a process that still holds it is resumed by that process; a
   * stopped or interrupted one, which nobody holds, is executed here from its definition file.
   */
  async resume(runId: string, onError: (error: unknown) => void): Promise<RunRecord> {
    await this.engine.detectInterrupted();
    const run = await requireRun(this.store, runId);
    if (!(run.status === "interrupted" || (run.status === "paused" && !run.owner)))
      return this.engine.resume(runId);
    if (!run.source) {
      throw appError(
        "TRAWL_ERR_APP_NO_DEFINITION",
        `run ${runId} has no definition file to resume from; resume it with \`trawl resume ${runId} --scraper FILE\``,
      );
    }
    await this.launch(runId, await loadScraper(run.source), onError);
    return this.engine.record(this.actor, "run.resumed", (await this.store.runs.get(runId))!);
  }

  /** Runs executing in the background here; they stop with `engine.stop` and settle here. */
  async settleBackground(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  async close(): Promise<void> {
    this.stopMirroring();
    await this.fleetReport.stop();
    await this.tracing?.close();
    this.engine.governor.close();
    await this.store.close();
  }
}
