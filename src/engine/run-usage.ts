import type { LogLevel } from "../core/index.ts";

/** A run's resource limits (`limits.max_memory`, `limits.max_cpu`); absent ones are unlimited. */
export interface ResourceLimits {
  maxMemoryBytes?: number;
  maxCpuMs?: number;
}

/** What the crawl asks the governor about its run (a {@link RunUsage} answers). */
export interface RunGovernance {
  /** Requests the run may have in flight now, out of the `configured` concurrency. */
  allowance(configured: number): number;
  /** The limit the run went over (`max_memory (64 MB)`), once it has; then it stays. */
  exceeded(): string | undefined;
}

/** How a run's usage is tracked: its limits, what earlier sessions used, its log. */
export interface RunUsageOptions {
  limits: ResourceLimits;
  /** CPU seconds charged to the run by its earlier sessions (its stored `stats.cpuSeconds`). */
  cpuSecondsBefore: number;
  /** False while the run is paused: it is charged no CPU then, nor a share of new memory. */
  active(): boolean;
  log(level: LogLevel, message: string): void;
}

/** The governor's side of {@link RunUsage}: the allowance of the pressure level now. */
export interface UsageHost {
  allowance(configured: number): { allowed: number; level: "ok" | "high" | "critical"; pressure?: string };
  release(runId: string): void;
}

/**
 * What one run executing in this process is charged, and its limits. The governor fills the
 * figures in at each sample (see `ResourceGovernor` for what is measured); the crawl reads them.
 */
export class RunUsage implements RunGovernance {
  /** CPU milliseconds charged to this session. */
  cpuMs = 0;
  /** Bytes of memory charged to the run at the last sample (the main thread's growth, shared). */
  memoryBytes = 0;
  private limitHit: string | undefined;
  /** The pressure level the run last heard of: its log tells each change. */
  private lastLevel = "ok";

  constructor(
    readonly runId: string,
    /** The main thread's live memory when the session started: the run's growth is above it. */
    readonly baselineBytes: number,
    private readonly options: RunUsageOptions,
    private readonly host: UsageHost,
  ) {}

  get limits(): ResourceLimits {
    return this.options.limits;
  }

  isActive(): boolean {
    return this.options.active();
  }

  /** CPU seconds charged to the run over all its sessions (stored with its statistics). */
  cpuSeconds(): number {
    return this.options.cpuSecondsBefore + this.cpuMs / 1000;
  }

  allowance(configured: number): number {
    // The configured concurrency may move (`concurrency: auto`); only the level's changes are told.
    const { allowed, level, pressure } = this.host.allowance(configured);
    if (level !== this.lastLevel) {
      this.options.log(
        level === "ok" ? "info" : "warn",
        level === "ok"
          ? `memory pressure over: back to ${configured} requests in flight`
          : `memory pressure (${pressure}): at most ${allowed} of ${configured} requests in flight`,
      );
      this.lastLevel = level;
    }
    return allowed;
  }

  exceeded(): string | undefined {
    return this.limitHit;
  }

  /** Records the limit the run went over, with what it used, in its log; the first one stays. */
  trip(limit: string, used: string): void {
    if (this.limitHit) return;
    this.limitHit = limit;
    this.options.log(
      "warn",
      `limit ${limit} reached (${used}): no new requests; the run pauses once in-flight ones finish and can be resumed`,
    );
  }

  /** Ends the tracking (the session let go of the run). */
  release(): void {
    this.host.release(this.runId);
  }
}
