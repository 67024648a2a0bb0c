/**
 * The fleet's reports (issue 17, item 7): a process that executes runs (`trawl worker`, and
 * `trawl run`, `resume`, `serve`, `scheduler` while they execute one) tells the database who it is
 * and what it does on each heartbeat, so that `trawl workers` and the Workers page on any machine
 * list it. It leaves on a clean exit; a killed one's report is pruned once old (see fleet.ts).
 */
import { hostname } from "node:os";
import { systemClock, type Clock } from "../core/index.ts";
import type { Engine } from "../engine/index.ts";
import type { WorkerReport, WorkerStore } from "../store/index.ts";

/** What a process is doing, as its reporter asks it at each heartbeat. */
export interface WorkerActivity {
  /** The runs it serves now. */
  runs: string[];
  /** Requests it holds leased now, over all its runs. */
  leases: number;
  /** Requests it may have in flight at once, over all its runs. */
  concurrency: number;
  /** Pages it finished (done or failed) since it started, over all runs: made into pages/s. */
  pagesDone: number;
}

/** How to report. */
export interface WorkerReporterOptions {
  workers: WorkerStore;
  /** The process's owner id, the one its claims and leases carry (`Engine.owner`). */
  id: string;
  /** What it is: `worker`, or the command executing runs (`run`, `serve`, …). */
  kind: string;
  activity: () => WorkerActivity;
  clock?: Clock;
  /** Between two reports, in ms. @defaultValue 1000 */
  intervalMs?: number;
  /** Hears a report that failed (the next one tries again); a report never fails a run. */
  onError?: (error: unknown) => void;
}

/**
 * Reports one process on a timer: `start()` reports at once and then every `intervalMs` (the
 * timer does not keep the process alive), `stop()` stops and removes the report.
 */
export class WorkerReporter {
  private readonly clock: Clock;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;
  private reported = false;
  private last: { at: number; pagesDone: number } | undefined;

  constructor(private readonly options: WorkerReporterOptions) {
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
  }

  /** Reports now and on every interval until {@link stop}; a second call does nothing. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.report(), this.options.intervalMs ?? 1000);
    this.timer.unref();
    void this.report();
  }

  /** Reports once now (after the report in progress, if any). */
  report(): Promise<void> {
    this.pending = this.pending.then(async () => {
      if (this.stopped) return;
      this.reported = true;
      try {
        await this.options.workers.report(this.snapshot());
      } catch (error) {
        this.options.onError?.(error);
      }
    });
    return this.pending;
  }

  /** Stops reporting and leaves the fleet (after the report in progress, so it cannot come back). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.pending;
    if (!this.reported) return; // nothing to take back: never wrote to the database
    await this.options.workers
      .leave(this.options.id)
      .catch((error: unknown) => this.options.onError?.(error));
  }

  /** The report of this moment; pages/s over the time since the previous one. */
  private snapshot(): WorkerReport {
    const now = this.clock.now();
    const activity = this.options.activity();
    const seconds = this.last ? (now - this.last.at) / 1000 : 0;
    const pages = this.last ? activity.pagesDone - this.last.pagesDone : 0;
    this.last = { at: now, pagesDone: activity.pagesDone };
    const [host, pid] = this.options.id.split(":");
    return {
      id: this.options.id,
      host: host || hostname(),
      pid: Number(pid) || process.pid,
      kind: this.options.kind,
      startedAt: this.startedAt,
      heartbeatAt: now,
      runs: activity.runs,
      leases: activity.leases,
      pagesPerSecond: seconds > 0 ? Math.round((Math.max(0, pages) / seconds) * 100) / 100 : 0,
      concurrency: activity.concurrency,
    };
  }
}

/**
 * What `engine` does, for its reporter: the runs its sessions execute, their scrapers'
 * concurrency, and the pages they finished (counted from its events). Leases are not counted:
 * a session does not tell how many requests it holds (0 is reported). `dispose` stops counting.
 */
export function engineActivity(engine: Engine): { activity: () => WorkerActivity; dispose: () => void } {
  let pagesDone = 0;
  const dispose = engine.bus.subscribe((event) => {
    if (event.type === "request.finished" || event.type === "request.failed") pagesDone++;
  });
  const activity = (): WorkerActivity => {
    const executing = engine.executing();
    return {
      runs: executing.map((run) => run.runId),
      leases: executing.reduce((sum, run) => sum + run.leases, 0),
      concurrency: executing.reduce((sum, run) => sum + run.concurrency, 0),
      pagesDone,
    };
  };
  return { activity, dispose };
}

/**
 * Reports `engine`'s process from the moment it first executes a run (a process that only reads,
 * like `trawl runs`, never reports) until `stop()`, which leaves the fleet.
 */
export function reportWhileExecuting(
  engine: Engine,
  options: Omit<WorkerReporterOptions, "activity" | "id">,
): { stop(): Promise<void> } {
  const { activity, dispose } = engineActivity(engine);
  const reporter = new WorkerReporter({ ...options, id: engine.owner, activity });
  const unsubscribe = engine.bus.subscribe((event) => {
    if (event.type === "run.started") reporter.start();
  });
  return {
    stop: async () => {
      unsubscribe();
      dispose();
      await reporter.stop();
    },
  };
}

/**
 * The command this process runs (`run`, `serve`, …): the first word of its arguments that is
 * neither an option nor the value of `--home` or `--database`; `trawl` when none.
 */
export function commandOfProcess(argv: readonly string[] = process.argv): string {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--home" || arg === "--database") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return "trawl";
}
