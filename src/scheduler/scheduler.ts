import { hostname } from "node:os";
import { describeError } from "../core/index.ts";
import type { SchedulerProcess } from "../store/index.ts";
import { nextDueAt, planDue } from "./plan-due.ts";
import { RunStarter } from "./run-starter.ts";
import type { SchedulerContext } from "./types.ts";

export { RETRY_BASE_MS } from "./record-outcome.ts";

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions extends SchedulerContext {
  /** Scheduled runs running at once, over all schedules. @defaultValue 3 */
  maxConcurrent?: number;
  /** How long the leader lease lasts without renewal. @defaultValue 10000 */
  leaseMs?: number;
  /** How often the lease is renewed and followers try to take it. @defaultValue 3000 */
  heartbeatMs?: number;
  /** How often a sleeping scheduler looks for changes made by other processes. @defaultValue 1000 */
  changePollMs?: number;
  /** Uniform in [0, 1): jitter. @defaultValue Math.random */
  random?: () => number;
}

/**
 * Fires schedules: claims each due occurrence under a unique key, starts its run through the
 * runner, records every occurrence (fired or skipped, and why) and every outcome. Several
 * schedulers may share one database: only the holder of the leader lease fires, and the claims
 * keep an occurrence from firing twice even if two ever believed they led.
 */
export class Scheduler {
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly changePollMs: number;
  private readonly random: () => number;
  private readonly starter: RunStarter;
  private readonly status: SchedulerProcess;
  private leading = false;
  private wakeUp: AbortController | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.heartbeatMs = options.heartbeatMs ?? 3_000;
    this.changePollMs = options.changePollMs ?? 1_000;
    this.random = options.random ?? Math.random;
    this.starter = new RunStarter(options, options.maxConcurrent ?? 3, () => this.wake());
    const pid = Number(options.owner.split(":")[1]) || process.pid;
    this.status = {
      owner: options.owner,
      pid,
      host: hostname(),
      startedAt: options.clock.now(),
      heartbeatAt: options.clock.now(),
      checkedAt: null,
      schedulesChecked: 0,
      runsStarted: 0,
      nextDueAt: null,
    };
  }

  /** Whether this process held the leader lease at its last check. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Runs started by this process that are still going. */
  get activeRuns(): number {
    return this.starter.activeRuns;
  }

  /**
   * One pass: renews (or tries to take) the leader lease; as leader, records due occurrences and
   * starts what may start. Returns when the next pass is needed at the latest.
   */
  async tick(): Promise<number> {
    const { schedules, clock } = this.options;
    const now = clock.now();
    const wasLeading = this.leading;
    this.leading = await schedules.lead(this.options.owner, now, this.leaseMs);
    if (this.leading !== wasLeading) {
      this.options.log(
        "info",
        this.leading ? "leading: this scheduler fires schedules" : "no longer leading",
      );
    }
    let nextDue: number | null = null;
    let wakeAt = now + this.heartbeatMs;
    if (!this.leading) {
      // A follower tries again when the leader's lease runs out (a killed leader's is never
      // renewed), not up to a heartbeat later: a takeover takes the lease's length, not more.
      const lease = await schedules.leader();
      if (lease && lease.expiresAt > now) wakeAt = Math.min(wakeAt, lease.expiresAt);
    } else {
      const all = await schedules.list();
      for (const schedule of all) {
        if (schedule.status === "active") await planDue(this.options, schedule, now, this.random);
      }
      await this.starter.startWaiting(now);
      nextDue = await nextDueAt(schedules, now);
      this.status.checkedAt = now;
      this.status.schedulesChecked = all.length;
    }
    this.status.runsStarted = this.starter.started;
    this.status.heartbeatAt = now;
    this.status.nextDueAt = nextDue;
    await schedules.beat(this.status);
    return Math.min(nextDue ?? Infinity, wakeAt);
  }

  /**
   * Runs until `signal` aborts: a pass whenever something is due, a schedule changed (here or in
   * another process) or the lease needs renewing. On abort, the runs started here are stopped
   * gracefully (they stay resumable) and the lease is given up at once.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { schedules, clock } = this.options;
    this.options.log("info", `scheduler ${this.options.owner} started`);
    let version = await schedules.version();
    while (!signal.aborted) {
      let wakeAt: number;
      try {
        wakeAt = await this.tick();
      } catch (error) {
        // A locked or briefly unavailable database must not end the daemon: try again shortly.
        this.options.log(
          "error",
          `check failed, retrying in ${this.heartbeatMs} ms: ${describeError(error)}`,
        );
        wakeAt = clock.now() + this.heartbeatMs;
      }
      while (!signal.aborted && clock.now() < wakeAt) {
        const slept = await this.sleep(
          Math.min(wakeAt, clock.now() + this.changePollMs) - clock.now(),
          signal,
        );
        const current = await schedules.version().catch(() => NaN); // NaN: unknown, so check now
        if (current !== version || slept === "woken") {
          version = current;
          wakeAt = clock.now();
        }
      }
    }
    this.options.log("info", "scheduler stopping: stopping its runs gracefully (they stay resumable)");
    await this.options.runner.stopAll();
    await this.settled();
    await schedules.resign(this.options.owner);
    await schedules.unregister(this.options.owner);
    this.leading = false;
  }

  /** Resolves when every run this scheduler started has ended and been recorded. */
  async settled(): Promise<void> {
    await this.starter.settled();
  }

  /** Ends the current sleep of `run` now (a schedule changed in this process). */
  wake(): void {
    this.wakeUp?.abort();
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<"slept" | "woken"> {
    this.wakeUp = new AbortController();
    const both = AbortSignal.any([signal, this.wakeUp.signal]);
    try {
      await this.options.clock.sleep(Math.max(0, ms), both);
      return "slept";
    } catch {
      return "woken";
    } finally {
      this.wakeUp = undefined;
    }
  }
}
