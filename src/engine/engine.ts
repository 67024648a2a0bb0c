import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import {
  systemClock,
  type Clock,
  RunNotFoundError,
  isProcessAlive,
  EventBus,
  type LogLevel,
} from "../core/index.ts";
import { requireEnv, requireSecrets, type SecretSource } from "../fetch/index.ts";
import type { CompiledScraper } from "../pipeline/index.ts";
import type { RunControl, RunRecord, StartDataPins, Store } from "../store/index.ts";
import { InvalidTransitionError, RunBusyError, UnknownStepError } from "./errors.ts";
import { RunSession } from "./run-session.ts";
import { RunShare } from "./run-share.ts";
import type { CrawlOutcome } from "./crawl-deps.ts";
import { pinStartData } from "./start-urls.ts";
import { ALLOWED_FROM, canApply, STEPS_ON_STATUS, type RunAction } from "./transitions.ts";
import { defaultParseThreads } from "./parse-threads.ts";
import { ResourceGovernor } from "./governor.ts";
import type { EngineOptions } from "./types.ts";

/**
 * Runs whose release time the engine remembers ({@link Engine.releasedAt}): the run watcher asks
 * about runs that ended moments ago, never about the thousandth one back.
 */
const RELEASED_KEPT = 1000;

/** What the caller of {@link Engine.execute} hears before the run starts. */
export interface ExecuteHooks {
  /** The run waits for memory (the governor holds it, queued); called once. */
  onHeld?(): void;
}

/** Options of a new run. */
export interface StartOptions {
  /** Step names to pause before (`crawl`, or a post-crawl step's name). */
  breakpoints?: string[];
  /** Record the run for offline replay (also when the scraper does not say `record: true`). */
  record?: boolean;
  /**
   * The start data to read instead of the latest (a replay reads what the recorded run read).
   * @defaultValue the latest version of each start dataset, every start URL checked
   */
  startData?: StartDataPins;
}

/**
 * The single authority over runs (DESIGN.md §3.2): creates them, executes them in this process,
 * and relays commands to runs another process executes, through the database.
 */
export class Engine {
  readonly bus: EventBus;
  readonly owner: string;
  /** Admits this process's runs, keeps them within their limits and the memory ceiling. */
  readonly governor: ResourceGovernor;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly sessions = new Map<string, RunSession>();
  /** Runs this process works on as a worker, not as their coordinator. */
  private readonly shares = new Map<string, RunShare>();
  /** When this process last stopped executing each run it executed (see {@link releasedAt}). */
  private readonly released = new Map<string, number>();
  private readonly staleAfterMs: number;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.bus = options.bus ?? new EventBus();
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.staleAfterMs = options.staleAfterMs ?? 10_000;
    this.governor = options.governor ?? new ResourceGovernor();
  }

  /** Creates a queued run of `scraper`. */
  async create(scraper: CompiledScraper, options: StartOptions = {}): Promise<RunRecord> {
    requireEnv(scraper.envNames);
    await this.openSecrets(scraper);
    const breakpoints = options.breakpoints ?? [];
    const steps = [
      { name: "crawl", kind: "crawl" },
      ...scraper.steps.map((s) => ({ name: s.name, kind: s.kind })),
    ];
    const unknown = breakpoints.filter((name) => !steps.some((step) => step.name === name));
    if (unknown.length > 0)
      throw new UnknownStepError(
        unknown,
        steps.map((step) => step.name),
      );
    // Before the run exists: bad start data stores nothing.
    const startData = options.startData ?? (await pinStartData(scraper, this.options.startDatasets));
    const run = await this.store.runs.create(
      {
        scraper: scraper.name,
        source: scraper.source ?? null,
        definitionHash: scraper.hash,
        targets: scraper.targets.map((t) => t.name),
        steps,
        breakpoints,
        options: {
          ...((options.record || scraper.record) && { record: true }),
          ...(startData && { startData }),
        },
        recordKey: scraper.key ?? null,
      },
      this.clock.now(),
    );
    this.bus.emit({ type: "run.queued", runId: run.id, scraper: run.scraper });
    return run;
  }

  /**
   * The secrets the scraper reads, from the vault; none when it reads none. With `runId` (the
   * run executing here) the vault records them as used.
   *
   * @throws `TRAWL_ERR_FETCH_SECRET_MISSING` naming the secrets the vault lacks, before anything
   * is stored; the vault's errors when it cannot be opened.
   */
  private async openSecrets(scraper: CompiledScraper, runId?: string): Promise<SecretSource | undefined> {
    const names = scraper.secretNames;
    if (names.length === 0) return undefined;
    const source = await this.options.openSecrets?.(
      names,
      runId ? { runId, scraper: scraper.name } : undefined,
    );
    requireSecrets(names, source, { file: scraper.source, lines: scraper.secretLines });
    return source;
  }

  /** Creates and executes a run; resolves when it finishes, stops or is cancelled. */
  async run(scraper: CompiledScraper, options: StartOptions = {}): Promise<RunRecord> {
    const run = await this.create(scraper, options);
    return this.execute(run.id, scraper);
  }

  /**
   * Executes (or continues) a run in this process: a queued run starts, a paused or interrupted
   * one resumes where it stopped. Resolves when the session ends. Near the memory ceiling the
   * governor holds the run first (it stays as it was, `queued` for a new one) until memory allows.
   */
  async execute(runId: string, scraper: CompiledScraper, hooks: ExecuteHooks = {}): Promise<RunRecord> {
    requireEnv(scraper.envNames);
    await this.openSecrets(scraper);
    await this.detectInterrupted();
    const run = await this.require(runId);
    if (run.status !== "queued" && !canApply("resume", run.status)) {
      throw new InvalidTransitionError(runId, run.status, "resumed");
    }
    // Withdrawn while held (cancelled): nothing to execute.
    if (!(await this.governor.admit(runId, hooks.onHeld))) return this.require(runId);
    try {
      return await this.executeAdmitted(await this.require(runId), scraper);
    } finally {
      this.governor.release(runId);
    }
  }

  private async executeAdmitted(run: RunRecord, scraper: CompiledScraper): Promise<RunRecord> {
    const runId = run.id;
    if (!(await this.claim(runId))) throw new RunBusyError(runId, run.owner ?? "unknown");
    // Checked above, before the claim; opened again now that the run is this process's, so
    // that the vault records the use only of a run that goes ahead.
    const secrets = await this.openSecrets(scraper, runId);
    const claimed = (await this.store.runs.get(runId))!;
    // The usage asks whether the session runs (not paused); the session is made with the usage.
    const holder: { session?: RunSession } = {};
    const usage = await this.governor.track(runId, {
      limits: scraper.limits,
      cpuSecondsBefore: Number((claimed.stats as { cpuSeconds?: unknown }).cpuSeconds ?? 0),
      active: () => holder.session?.controls.is("run") ?? true,
      // Like the session's own lines: logging never fails a run (the event carried the line).
      log: (level, message) => void this.log(runId, level, message).catch(() => undefined),
    });
    const session = (holder.session = new RunSession(
      {
        ...this.options,
        clock: this.clock,
        bus: this.bus,
        owner: this.owner,
        heartbeatMs: this.options.heartbeatMs ?? 1000,
        parseThreads: this.options.parseThreads ?? defaultParseThreads(),
        ...(secrets && { secrets }),
        ...(run.owner && run.owner !== this.owner && { previousOwner: run.owner }),
        usage,
      },
      claimed,
      scraper,
    ));
    this.sessions.set(runId, session);
    try {
      return await session.execute();
    } finally {
      this.sessions.delete(runId);
      this.released.delete(runId);
      this.released.set(runId, this.clock.now());
      // A long-running server executes runs for months: keep the most recent ones only.
      if (this.released.size > RELEASED_KEPT) this.released.delete(this.released.keys().next().value!);
    }
  }

  /**
   * When this process last stopped executing `runId` (undefined: never): what the run logged
   * until then went out on this process's bus; later lines come from another process.
   */
  releasedAt(runId: string): number | undefined {
    return this.released.get(runId);
  }

  /** The runs this process executes now, each with its scraper's concurrency (the fleet's reports). */
  executing(): { runId: string; concurrency: number; leases: number }[] {
    return [...this.sessions].map(([runId, session]) => ({
      runId,
      concurrency: session.concurrency,
      leases: session.leases,
    }));
  }

  /**
   * Joins a run another process coordinates, as one of its workers (`trawl worker`, issue 17):
   * crawls a share of its queue until the crawl is over or the run stops running. Never changes
   * the run's state; needs a queue several processes share (PostgreSQL).
   */
  async join(
    runId: string,
    scraper: CompiledScraper,
    options: { concurrency?: number } = {},
  ): Promise<{ outcome: CrawlOutcome; pages: number }> {
    requireEnv(scraper.envNames);
    const secrets = await this.openSecrets(scraper, runId);
    const share = new RunShare(
      {
        ...this.options,
        clock: this.clock,
        bus: this.bus,
        owner: this.owner,
        parseThreads: this.options.parseThreads ?? defaultParseThreads(),
        governor: this.governor,
        ...(secrets && { secrets }),
        ...options,
      },
      await this.require(runId),
      scraper,
    );
    this.shares.set(runId, share);
    try {
      return { outcome: await share.execute(), pages: share.pages };
    } finally {
      this.shares.delete(runId);
    }
  }

  /** The runs this process works on as a worker now (see {@link join}). */
  sharing(): ReadonlyMap<string, RunShare> {
    return this.shares;
  }

  /** The session executing `runId` in this process, if any. */
  session(runId: string): RunSession | undefined {
    return this.sessions.get(runId);
  }

  pause(runId: string): Promise<RunRecord> {
    return this.command(runId, "pause");
  }

  /** Resumes a paused run that some process still holds; a stopped or interrupted run needs `execute`. */
  resume(runId: string): Promise<RunRecord> {
    return this.command(runId, "resume");
  }

  stop(runId: string): Promise<RunRecord> {
    return this.command(runId, "stop");
  }

  cancel(runId: string): Promise<RunRecord> {
    return this.command(runId, "cancel");
  }

  /**
   * Applies a command: directly when this process executes the run; else, when a live process
   * does, through the database (its heartbeat picks it up); else straight in the store.
   */
  private async command(runId: string, command: RunControl): Promise<RunRecord> {
    await this.detectInterrupted();
    const run = await this.require(runId);
    if (!canApply(command as RunAction, run.status))
      throw new InvalidTransitionError(runId, run.status, verb(command));
    if (command === "cancel") this.governor.withdraw(runId);
    const local = this.sessions.get(runId);
    if (local) {
      local.control(command);
      // Its workers on other machines hear it at once too.
      await this.store.runs.announceControl?.(runId, command);
    } else if (run.owner && this.isAlive(run)) await this.store.runs.requestControl(runId, command);
    else await this.applyDetached(run, command);
    return (await this.store.runs.get(runId))!;
  }

  /** Commands for runs nobody executes: only cancel changes anything; the rest need a process. */
  private async applyDetached(run: RunRecord, command: RunControl): Promise<void> {
    if (command === "cancel") {
      const now = this.clock.now();
      await this.store.runs.transition(run.id, {
        patch: { status: "cancelled", finishedAt: now, owner: null, updatedAt: now },
        steps: STEPS_ON_STATUS.cancelled,
      });
      await this.log(run.id, "warn", `cancelled while ${run.status}: the run cannot be resumed`);
      this.bus.emit({ type: "run.finished", runId: run.id, status: "cancelled" });
      return;
    }
    if (command === "stop" && run.status === "paused") return;
    throw new InvalidTransitionError(run.id, `${run.status} with no process executing it`, verb(command));
  }

  /**
   * Marks runs whose executing process is gone as `interrupted` (resumable). A process is gone when
   * its heartbeat is stale, or, on this host, when its pid no longer exists.
   */
  async detectInterrupted(): Promise<string[]> {
    const candidates = await this.store.runs.list({ statuses: [...ALLOWED_FROM.interrupt] });
    const found: string[] = [];
    for (const run of candidates) {
      if (!run.owner || this.isAlive(run) || this.sessions.has(run.id)) continue;
      const updated = await this.store.runs.transition(run.id, {
        patch: { status: "interrupted", owner: null, updatedAt: this.clock.now() },
        expect: [run.status],
        steps: STEPS_ON_STATUS.interrupted,
      });
      if (!updated) continue;
      found.push(run.id);
      await this.log(
        run.id,
        "warn",
        `interrupted: the process executing it (${run.owner}) is gone; it can be resumed`,
      );
      this.bus.emit({ type: "run.finished", runId: run.id, status: "interrupted" });
    }
    return found;
  }

  /** A log line of a run nobody executes (a session logs its own). */
  private async log(runId: string, level: LogLevel, message: string): Promise<void> {
    const at = this.clock.now();
    this.bus.emit({ type: "log.written", runId, level, message, at });
    await this.store.logs.append(runId, level, message, at);
  }

  /**
   * Takes the run for this process: when nobody executes it (no owner, or a stale heartbeat), or
   * when its owner's process is gone — killed between its claim and the run's start, it left a
   * fresh heartbeat that would otherwise keep the run busy until it went stale.
   */
  private async claim(runId: string): Promise<boolean> {
    const now = this.clock.now();
    if (await this.store.runs.claim(runId, this.owner, now, now - this.staleAfterMs)) return true;
    const holder = await this.store.runs.get(runId);
    if (!holder?.owner || holder.heartbeatAt === null || this.isAlive(holder)) return false;
    // The dead process's last heartbeat counts as stale, and only it: a process that claimed the
    // run since has written a later one, and keeps it.
    return this.store.runs.claim(runId, this.owner, now, holder.heartbeatAt + 1);
  }

  private isAlive(run: RunRecord): boolean {
    if (!run.owner || run.heartbeatAt === null) return false;
    if (this.clock.now() - run.heartbeatAt > this.staleAfterMs) return false;
    const [host, pid] = run.owner.split(":");
    if (host !== hostname() || !pid) return true;
    return isProcessAlive(Number(pid));
  }

  private async require(runId: string): Promise<RunRecord> {
    const run = await this.store.runs.get(runId);
    if (!run) throw new RunNotFoundError(runId);
    return run;
  }
}

function verb(command: RunControl): string {
  return { pause: "paused", resume: "resumed", stop: "stopped", cancel: "cancelled" }[command];
}
