/**
 * The resource governor: keeps the process under its memory ceiling and each run within its own
 * `max_memory` and `max_cpu` (docs/limits.md).
 *
 * Runs execute in this process, on its main thread (fetching, `parse` hooks, storing) with parse
 * threads of their own for pages without code (bounded heaps, see parse-pool.ts). What a run is
 * charged is therefore measured on the shared main thread, sample by sample:
 * - CPU: the process's CPU time (`process.cpuUsage()`, every thread) between two samples, split
 *   evenly among the runs running (not paused) then;
 * - memory: the main thread's live memory (JavaScript heap after a full collection, plus buffers)
 *   above what it was when the run's session started, divided by the number of runs running now.
 *   Alone on the server, that is exactly what the run added; beside others, growth is shared.
 * The server-wide level compares the process's resident memory (RSS: every thread, native memory,
 * what a cgroup or the OOM killer counts) with the ceiling.
 */
import { configFor, describeBytes, memoryCeilingBytes, processMemoryLimit } from "../core/index.ts";
import { heapUpperBound, liveHeap } from "./live-heap.ts";
import { RunUsage, type RunUsageOptions, type UsageHost } from "./run-usage.ts";

/** How near the ceiling the process is: `high` from {@link HIGH_MARK} of it, `critical` at it. */
export type PressureLevel = "ok" | "high" | "critical";

/** Share of the ceiling from which new runs wait and running ones halve their concurrency. */
export const HIGH_MARK = 0.9;

/** Options of a {@link ResourceGovernor}. */
export interface GovernorOptions {
  /** The server-wide memory ceiling, in bytes of resident memory. @defaultValue {@link defaultCeiling} */
  ceilingBytes?: number;
  /** How often usage is sampled, in ms. @defaultValue 500 */
  sampleMs?: number;
  /** Least time between two full collections that confirm a `max_memory`, in ms. @defaultValue 2000 */
  confirmEveryMs?: number;
}

/** The governor's state, as the Health page shows it. */
export interface GovernorState {
  level: PressureLevel;
  /** The process's resident memory at the last sample. */
  rss: number;
  ceiling: number;
  /** Runs waiting for memory before they start, in the order they will. */
  waiting: string[];
  runs: {
    runId: string;
    memoryBytes: number;
    cpuSeconds: number;
    maxMemoryBytes: number | null;
    maxCpuSeconds: number | null;
  }[];
}

/**
 * The default ceiling: `TRAWL_MEMORY_CEILING`, else 75 % of the machine's memory or of the
 * container's cgroup limit, whichever is smaller.
 */
export function defaultCeiling(env: NodeJS.ProcessEnv = process.env): number {
  return memoryCeilingBytes(configFor(env).memoryCeiling, processMemoryLimit());
}

interface Waiter {
  runId: string;
  resolve(admitted: boolean): void;
}

/**
 * Admits runs, samples what they use, and tells each crawl how much it may do. Near the ceiling
 * (`high`) new runs wait, first come first started, and running ones halve their concurrency; at
 * it (`critical`) each running run keeps one request in flight: every run still moves (none
 * starves) while the process's load shrinks. A run over its own limit is told so; its crawl
 * stops taking requests and the run pauses, resumable.
 */
export class ResourceGovernor implements UsageHost {
  readonly ceiling: number;
  private readonly sampleMs: number;
  private readonly confirmEveryMs: number;
  private readonly runs = new Map<string, RunUsage>();
  /** Admitted and not tracked yet (claiming the run, opening its secrets). */
  private readonly starting = new Set<string>();
  private waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;
  private rss = 0;
  private cpuAt = cpuMicros();
  private confirmedAt = -Infinity;

  constructor(options: GovernorOptions = {}) {
    this.ceiling = options.ceilingBytes ?? defaultCeiling();
    this.sampleMs = options.sampleMs ?? 500;
    this.confirmEveryMs = options.confirmEveryMs ?? 2000;
  }

  /** The pressure level at the last sample. */
  get level(): PressureLevel {
    if (this.rss >= this.ceiling) return "critical";
    return this.rss >= HIGH_MARK * this.ceiling ? "high" : "ok";
  }

  /**
   * Resolves true once `runId` may start: at once when memory is below the high mark and no run
   * waits before it, or when nothing else executes here (a server above its ceiling with nothing
   * running still runs one run at a time). Until then the run waits, `onHeld` is called once,
   * and the run stays queued. Resolves false when the run is withdrawn (cancelled) while waiting.
   */
  admit(runId: string, onHeld?: () => void): Promise<boolean> {
    if (this.waiting.length === 0 && this.hasRoom()) {
      this.starting.add(runId);
      return Promise.resolve(true);
    }
    onHeld?.();
    return new Promise((resolve) => {
      this.waiting.push({ runId, resolve });
      this.schedule();
    });
  }

  /**
   * Whether one more run may start here now: memory is below the high mark (read now), or nothing
   * executes here (a process above its ceiling with nothing running still runs one at a time).
   */
  hasRoom(): boolean {
    this.rss = process.memoryUsage.rss();
    return this.level === "ok" || this.idle();
  }

  /** Drops a waiting run (cancelled before it started); its `admit` resolves false. */
  withdraw(runId: string): void {
    const waiter = this.waiting.find((w) => w.runId === runId);
    if (!waiter) return;
    this.waiting = this.waiting.filter((w) => w !== waiter);
    waiter.resolve(false);
  }

  /** Starts charging an admitted run; its session releases the returned usage when it ends. */
  async track(runId: string, options: RunUsageOptions): Promise<RunUsage> {
    await this.sample();
    // A full collection only for a run whose max_memory needs the exact baseline; the others'
    // memory is only shown (Health page), from the cheap upper bound.
    const baseline = options.limits.maxMemoryBytes === undefined ? heapUpperBound() : await liveHeap();
    const usage = new RunUsage(runId, baseline, options, this);
    this.starting.delete(runId);
    this.runs.set(runId, usage);
    this.schedule();
    return usage;
  }

  release(runId: string): void {
    this.starting.delete(runId);
    this.runs.delete(runId);
    this.admitNext();
  }

  allowance(configured: number): { allowed: number; level: PressureLevel; pressure?: string } {
    const level = this.level;
    if (level === "ok") return { allowed: configured, level };
    const pressure = `resident ${describeBytes(this.rss)} of the ${describeBytes(this.ceiling)} ceiling`;
    const allowed = level === "critical" ? 1 : Math.max(1, Math.ceil(configured / 2));
    return { allowed, level, pressure };
  }

  state(): GovernorState {
    return {
      level: this.level,
      rss: this.rss || process.memoryUsage.rss(),
      ceiling: this.ceiling,
      waiting: this.waiting.map((w) => w.runId),
      runs: [...this.runs.values()].map((usage) => ({
        runId: usage.runId,
        memoryBytes: usage.memoryBytes,
        cpuSeconds: usage.cpuSeconds(),
        maxMemoryBytes: usage.limits.maxMemoryBytes ?? null,
        maxCpuSeconds: usage.limits.maxCpuMs === undefined ? null : usage.limits.maxCpuMs / 1000,
      })),
    };
  }

  /** Stops sampling; waiting runs are withdrawn. */
  close(): void {
    for (const waiter of this.waiting.splice(0)) waiter.resolve(false);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private idle(): boolean {
    return this.runs.size + this.starting.size === 0;
  }

  /** Samples while a run executes or waits; the timer holds the process only while one waits. */
  private schedule(): void {
    if (this.runs.size + this.waiting.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    // A sample never throws (liveHeap falls back); the catch keeps a surprise from crashing the server.
    this.timer ??= setInterval(
      () =>
        void this.sample().then(
          () => this.schedule(),
          () => this.schedule(),
        ),
      this.sampleMs,
    );
    if (this.waiting.length > 0) this.timer.ref();
    else this.timer.unref();
  }

  /** One sample: the level, each running run's CPU and memory, its limits; then admissions. */
  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      this.rss = process.memoryUsage.rss();
      const active = [...this.runs.values()].filter((usage) => usage.isActive());
      this.chargeCpu(active);
      await this.chargeMemory(active);
      this.admitNext();
    } finally {
      this.sampling = false;
    }
  }

  private chargeCpu(active: RunUsage[]): void {
    const now = cpuMicros();
    const share = (now - this.cpuAt) / 1000 / Math.max(1, active.length);
    this.cpuAt = now;
    for (const usage of active) {
      usage.cpuMs += share;
      const max = usage.limits.maxCpuMs;
      if (max !== undefined && usage.cpuSeconds() * 1000 >= max) {
        usage.trip(`max_cpu (${describeMs(max)})`, `${usage.cpuSeconds().toFixed(1)} s of CPU time`);
      }
    }
  }

  /**
   * Charges memory from the cheap upper bound; a run it puts at or over its `max_memory` is
   * confirmed by a full collection (at most every `confirmEveryMs`) before it is told.
   */
  private async chargeMemory(active: RunUsage[]): Promise<void> {
    if (active.length === 0) return;
    const charge = (heap: number) => {
      for (const usage of active) usage.memoryBytes = Math.max(0, heap - usage.baselineBytes) / active.length;
    };
    charge(heapUpperBound());
    const over = (usage: RunUsage) =>
      usage.limits.maxMemoryBytes !== undefined && usage.memoryBytes >= usage.limits.maxMemoryBytes;
    if (!active.some(over) || Date.now() - this.confirmedAt < this.confirmEveryMs) return;
    this.confirmedAt = Date.now();
    charge(await liveHeap());
    for (const usage of active.filter(over)) {
      const limit = `max_memory (${describeBytes(usage.limits.maxMemoryBytes!)})`;
      const shared = active.length > 1 ? `, its share of ${active.length} runs` : "";
      usage.trip(limit, `${describeBytes(usage.memoryBytes)} live${shared}`);
    }
  }

  /** Starts the first waiting run when memory allows, or nothing else executes: one per sample. */
  private admitNext(): void {
    const first = this.waiting[0];
    if (!first || (this.level !== "ok" && !this.idle())) return;
    this.waiting.shift();
    this.starting.add(first.runId);
    first.resolve(true);
    this.schedule();
  }
}

/** The process's CPU time so far (user and system, every thread), in microseconds. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** `600000` → `10m`, `90000` → `90s`, `1500` → `1500ms`: as short as exact. */
function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
