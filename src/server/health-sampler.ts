import { statfs } from "node:fs/promises";
import { freemem, loadavg, totalmem } from "node:os";
import type { Clock, TrawlEvent } from "../core/index.ts";
import type { HealthSample } from "../core/contract/health.ts";
import { ACTIVE_RUN_STATUSES, ENDED_RUN_STATUSES } from "../core/contract/values.ts";
import type { HealthSampleRecord, RunRecord, RunSampleRecord, Store } from "../store/index.ts";
import { EventLoopLag } from "./event-loop-lag.ts";

/** How often the server samples. */
export const DEFAULT_SAMPLE_MS = 10_000;
/** How long samples are kept: a day, so "what happened last night" can still be seen. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface HealthSamplerOptions {
  store: Store;
  clock: Clock;
  /** This process (`host:pid:nonce`), the lease holder's name. */
  owner: string;
  /** The data directory, whose file system's free space is sampled. */
  home: string;
  /** The series this process writes. @defaultValue "serve" */
  role?: string;
  /** 0: no sampling on a timer (`sample()` still works). @defaultValue {@link DEFAULT_SAMPLE_MS} */
  intervalMs?: number;
  /** @defaultValue {@link DEFAULT_RETENTION_MS} */
  retentionMs?: number;
  /** Announces each stored sample (`health.sampled`). */
  publish?(event: TrawlEvent): void;
}

/**
 * Measures this process, its machine and the database's runs every `intervalMs` and stores the
 * sample, so the health page shows the past. Several processes may share one database: only the
 * holder of the role's lease samples (the lease lasts three intervals and is given up on `stop`),
 * so a role's series is one line. Samples older than the retention are deleted as new ones come.
 */
export class HealthSampler {
  readonly role: string;
  readonly intervalMs: number;
  readonly retentionMs: number;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<unknown> = Promise.resolve();
  private cpu = { usage: process.cpuUsage(), at: performance.now() };
  /** Fetch attempts of each running run at the previous sample, and when that was. */
  private requests = new Map<string, number>();
  private previousAt: number | null = null;
  private readonly lag = new EventLoopLag();

  constructor(private readonly options: HealthSamplerOptions) {
    this.role = options.role ?? "serve";
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_MS;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  /** Samples now, then every interval (unless the interval is 0). */
  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.lag.start();
    let busy = false;
    const tick = () => {
      if (busy) return; // a slow sample (a locked database) is not stacked up
      busy = true;
      this.sampling = this.sample()
        .catch(() => undefined) // the next tick tries again
        .finally(() => (busy = false));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and gives the lease up, so another process takes over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lag.stop();
    await this.sampling;
    await this.options.store.health.resign(this.role, this.options.owner).catch(() => undefined);
  }

  /**
   * Takes one sample and stores it when this process holds the lease, then prunes; resolves to
   * the sample, or null when another process samples. Public for tests.
   */
  async sample(): Promise<HealthSampleRecord | null> {
    const { store, clock, owner } = this.options;
    const now = clock.now();
    if (!(await store.health.lead(this.role, owner, now, 3 * this.intervalMs))) return null;
    const { sample, runs } = await this.measure(now);
    await store.health.add(sample, runs);
    await store.health.prune(now - this.retentionMs);
    this.options.publish?.({ type: "health.sampled", sample: describeSample(sample) });
    return sample;
  }

  private async measure(now: number): Promise<{ sample: HealthSampleRecord; runs: RunSampleRecord[] }> {
    const [{ active, queued }, disk] = await Promise.all([
      runsInFlight(this.options.store),
      diskSpace(this.options.home),
    ]);
    const runs = await runProgress(this.options.store, active, now, this.previousAt);
    const memory = process.memoryUsage();
    const lag = this.lag.take();
    const sample: HealthSampleRecord = {
      role: this.role,
      at: now,
      process: this.options.owner,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      cpuPercent: this.cpuPercent(),
      load: loadavg() as [number, number, number],
      memoryTotal: totalmem(),
      memoryFree: freemem(),
      diskTotal: disk?.total ?? null,
      diskFree: disk?.free ?? null,
      activeRuns: active.length,
      queuedRuns: queued.length,
      requestsPerSecond: this.requestRate(active, now),
      lagP99Ms: lag?.p99 ?? null,
      lagMaxMs: lag?.max ?? null,
    };
    return { sample, runs };
  }

  /** CPU time this process used since the previous sample, in % of one core. */
  private cpuPercent(): number {
    const usage = process.cpuUsage(this.cpu.usage);
    const at = performance.now();
    const wallMs = at - this.cpu.at;
    this.cpu = { usage: process.cpuUsage(), at };
    return wallMs > 0 ? round(((usage.user + usage.system) / 1000 / wallMs) * 100) : 0;
  }

  /**
   * Fetch attempts per second of the running runs since the previous sample, from their stored
   * counters (any process's runs). A run first seen now counts from zero only if it started after
   * the previous sample; otherwise its earlier attempts are not this interval's.
   */
  private requestRate(active: RunRecord[], now: number): number {
    const previousAt = this.previousAt;
    let attempts = 0;
    const seen = new Map<string, number>();
    for (const run of active) {
      const total = typeof run.stats.requests === "number" ? run.stats.requests : 0;
      seen.set(run.id, total);
      const before = this.requests.get(run.id);
      if (before !== undefined) attempts += Math.max(0, total - before);
      else if (previousAt !== null && (run.startedAt ?? 0) >= previousAt) attempts += total;
    }
    this.requests = seen;
    this.previousAt = now;
    const seconds = previousAt === null ? 0 : (now - previousAt) / 1000;
    return seconds > 0 ? round(attempts / seconds) : 0;
  }
}

/** The active (running or paused) and the queued runs of every process, at most 1,000 of each. */
export async function runsInFlight(store: Store): Promise<{ active: RunRecord[]; queued: RunRecord[] }> {
  const [active, queued] = await Promise.all([
    store.runs.list({ statuses: [...ACTIVE_RUN_STATUSES], limit: 1000 }),
    store.runs.list({ statuses: ["queued"], limit: 1000 }),
  ]);
  return { active, queued };
}

/**
 * Each running run's pages (done or failed) and fetch attempts now, for its pages/s over time;
 * a run that ended since the previous sample gets its last figures at the instant it ended.
 */
async function runProgress(
  store: Store,
  active: RunRecord[],
  now: number,
  previousAt: number | null,
): Promise<RunSampleRecord[]> {
  const ended =
    previousAt === null
      ? []
      : (
          await store.runs.list({ statuses: [...ENDED_RUN_STATUSES], updatedAfter: previousAt, limit: 1000 })
        ).filter((run) => run.finishedAt !== null && run.finishedAt > previousAt && run.finishedAt <= now);
  const sampled = [...active.filter((run) => run.status === "running"), ...ended];
  return Promise.all(
    sampled.map(async (run) => {
      const counts = await store.queue.counts(run.id);
      const pages = counts.reduce((sum, c) => sum + c.done + c.failed, 0);
      const requests = typeof run.stats.requests === "number" ? run.stats.requests : 0;
      return { runId: run.id, at: run.status === "running" ? now : run.finishedAt!, pages, requests };
    }),
  );
}

/** Bytes in all and free for trawl on the file system holding `dir`; null when it cannot be read. */
export async function diskSpace(dir: string): Promise<{ total: number; free: number } | null> {
  const disk = await statfs(dir).catch(() => null);
  return disk && { total: disk.blocks * disk.bsize, free: disk.bavail * disk.bsize };
}

/** A stored sample as the API and the event stream show it. */
export function describeSample(s: HealthSampleRecord): HealthSample {
  return {
    at: s.at,
    role: s.role,
    process: {
      id: s.process,
      rss: s.rss,
      heapUsed: s.heapUsed,
      cpuPercent: s.cpuPercent,
      eventLoopLagMs:
        s.lagP99Ms === null || s.lagMaxMs === null ? null : { p99: s.lagP99Ms, max: s.lagMaxMs },
    },
    machine: {
      load: s.load,
      memory: { total: s.memoryTotal, free: s.memoryFree },
      disk: s.diskTotal === null || s.diskFree === null ? null : { total: s.diskTotal, free: s.diskFree },
    },
    runs: { active: s.activeRuns, queued: s.queuedRuns, requestsPerSecond: s.requestsPerSecond },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
