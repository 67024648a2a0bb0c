import { hostname } from "node:os";
import type { Clock } from "../core/clock.ts";
import { describeError } from "../core/errors.ts";
import type { LogLevel, TrawlEvent } from "../core/events.ts";
import type { OccurrenceRecord, ScheduleRecord, ScheduleStore, SchedulerProcess } from "../store/index.ts";
import { decideDue } from "./decide-due.ts";
import { formatDurationSpec } from "./duration.ts";
import { Occurrences, type Timing } from "./timing.ts";
import type { RunOutcome, ScheduleRunner } from "./types.ts";

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions {
  schedules: ScheduleStore;
  runner: ScheduleRunner;
  clock: Clock;
  /** This process, as `host:pid:nonce`. */
  owner: string;
  log(level: LogLevel, message: string): void;
  /** Told about every occurrence fired, skipped or finished. */
  emit?(event: TrawlEvent): void;
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

/** Most missed occurrences recorded one by one per check; older ones are only counted in the log. */
const MAX_RECORDED_MISSES = 100;
/** Backoff of the first retry of a failed occurrence; each further retry waits twice as long. */
export const RETRY_BASE_MS = 60_000;
const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Fires schedules: claims each due occurrence under a unique key, starts its run through the
 * runner, records every occurrence (fired or skipped, and why) and every outcome. Several
 * schedulers may share one database: only the holder of the leader lease fires, and the claims
 * keep an occurrence from firing twice even if two ever believed they led.
 */
export class Scheduler {
  private readonly maxConcurrent: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly changePollMs: number;
  private readonly random: () => number;
  /** Runs started by this process that have not ended, by run id. */
  private readonly active = new Map<string, Promise<void>>();
  private readonly status: SchedulerProcess;
  private leading = false;
  private wakeUp: AbortController | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.maxConcurrent = options.maxConcurrent ?? 3;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.heartbeatMs = options.heartbeatMs ?? 3_000;
    this.changePollMs = options.changePollMs ?? 1_000;
    this.random = options.random ?? Math.random;
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
    return this.active.size;
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
    if (this.leading) {
      const all = await schedules.list();
      for (const schedule of all) if (schedule.status === "active") await this.plan(schedule, now);
      await this.startWaiting(now);
      nextDue = await this.nextDue(now);
      this.status.checkedAt = now;
      this.status.schedulesChecked = all.length;
    }
    this.status.heartbeatAt = now;
    this.status.nextDueAt = nextDue;
    await schedules.beat(this.status);
    return Math.min(nextDue ?? Infinity, now + this.heartbeatMs);
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
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
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

  /** Records the occurrences of `schedule` that came due since its cursor: at most one fires. */
  private async plan(schedule: ScheduleRecord, now: number): Promise<void> {
    const { occurrences: due, omitted } = new Occurrences(schedule.timing as Timing).between(
      schedule.cursor,
      now,
      MAX_RECORDED_MISSES,
    );
    if (due.length === 0) return;
    const decided = decideDue(schedule, due, now, this.options.owner, this.random);
    const advanced = await this.options.schedules.advance(
      schedule.id,
      schedule.cursor,
      due.at(-1)!,
      decided,
      now,
    );
    if (!advanced) return;
    for (const o of decided) {
      if (o.status === "skipped") {
        this.options.emit?.({
          type: "schedule.skipped",
          scheduleId: o.scheduleId,
          dueAt: o.dueAt,
          reason: o.reason ?? "",
        });
      }
    }
    const missed = decided.filter((o) => o.status === "skipped").length + omitted;
    if (missed > 0) {
      this.options.log(
        "warn",
        `${schedule.id}: ${missed} occurrence(s) missed (${decided.find((o) => o.status === "skipped")?.reason})`,
      );
    }
    for (const o of decided) {
      if (o.status === "waiting") {
        this.options.log("info", `${schedule.id} (${schedule.scraper}): occurrence ${iso(o.dueAt)} is due`);
      }
    }
  }

  /** Starts waiting occurrences whose time has come, within the overlap policy and the global cap. */
  private async startWaiting(now: number): Promise<void> {
    const { schedules } = this.options;
    const waiting = (await schedules.occurrences({ statuses: ["waiting"], limit: 10_000 })).reverse();
    const held = new Set<string>();
    for (const occurrence of waiting) {
      if (occurrence.startAfter > now) continue;
      const schedule = await schedules.get(occurrence.scheduleId);
      if (!schedule) continue;
      if (schedule.status === "paused" && occurrence.kind !== "manual") {
        await this.skip(
          occurrence,
          `the schedule is paused${schedule.pausedReason ? ` (${schedule.pausedReason})` : ""}`,
        );
        continue;
      }
      const previous = await this.activeRunOf(schedule.id);
      if (previous || held.has(schedule.id)) {
        // Asked for by hand, or a retry: those wait for their turn whatever the policy.
        if (schedule.overlap === "skip" && occurrence.kind === "scheduled") {
          await this.skip(
            occurrence,
            `its previous run ${previous ?? ""} is still active (overlap skip)`.replace("  ", " "),
          );
        } else if (held.has(schedule.id)) {
          await this.skip(occurrence, "coalesced: a run of this schedule is already queued");
        } else {
          held.add(schedule.id);
        }
        continue;
      }
      if (this.active.size >= this.maxConcurrent) {
        held.add(schedule.id);
        continue;
      }
      await this.start(schedule, occurrence);
    }
  }

  /** The run of a schedule that is still active (its occurrence says running and the run agrees). */
  private async activeRunOf(scheduleId: string): Promise<string | null> {
    const running = await this.options.schedules.occurrences({
      scheduleId,
      statuses: ["running"],
      limit: 100,
    });
    for (const occurrence of running) {
      if (
        occurrence.runId &&
        (this.active.has(occurrence.runId) || (await this.options.runner.isActive(occurrence.runId)))
      ) {
        return occurrence.runId;
      }
      // Its process died with the run: the run is resumable by hand; the occurrence is over.
      await this.options.schedules.settle(
        occurrence,
        {
          status: "interrupted",
          reason: "the scheduler running it stopped",
          finishedAt: this.options.clock.now(),
        },
        this.options.clock.now(),
      );
    }
    return null;
  }

  private async skip(occurrence: OccurrenceRecord, reason: string): Promise<void> {
    await this.options.schedules.settle(occurrence, { status: "skipped", reason }, this.options.clock.now());
    this.options.emit?.({
      type: "schedule.skipped",
      scheduleId: occurrence.scheduleId,
      dueAt: occurrence.dueAt,
      reason,
    });
    this.options.log(
      "info",
      `${occurrence.scheduleId}: occurrence ${iso(occurrence.dueAt)} skipped: ${reason}`,
    );
  }

  private async start(schedule: ScheduleRecord, occurrence: OccurrenceRecord): Promise<void> {
    const { schedules, runner, clock, log } = this.options;
    const startedAt = clock.now();
    let started: Awaited<ReturnType<ScheduleRunner["start"]>>;
    try {
      started = await runner.start(schedule);
    } catch (error) {
      await schedules.settle(occurrence, { status: "running", startedAt }, startedAt);
      await this.finish(schedule.id, occurrence, { status: "failed", error: describeError(error) });
      return;
    }
    this.status.runsStarted++;
    await schedules.settle(occurrence, { status: "running", runId: started.runId, startedAt }, startedAt);
    log("info", `${schedule.id} (${schedule.scraper}): started run ${started.runId}`);
    this.options.emit?.({
      type: "schedule.fired",
      scheduleId: schedule.id,
      dueAt: occurrence.dueAt,
      runId: started.runId,
    });
    const done = started.finished
      .catch((error: unknown): RunOutcome => ({ status: "failed", error: describeError(error) }))
      .then((outcome) => this.finish(schedule.id, { ...occurrence, runId: started.runId }, outcome))
      .catch((error: unknown) =>
        log("error", `${schedule.id}: could not record the end of ${started.runId}: ${describeError(error)}`),
      )
      .finally(() => {
        this.active.delete(started.runId);
        this.wake();
      });
    this.active.set(started.runId, done);
  }

  /**
   * Records how an occurrence's run ended. A success resets the failure count; a failure counts,
   * claims a retry with backoff while retries are left, and pauses the schedule after
   * `maxFailures` in a row. A stopped or cancelled run counts neither way.
   */
  private async finish(scheduleId: string, occurrence: OccurrenceRecord, outcome: RunOutcome): Promise<void> {
    await this.record(scheduleId, occurrence, outcome);
    this.options.emit?.({
      type: "schedule.finished",
      scheduleId,
      dueAt: occurrence.dueAt,
      runId: occurrence.runId,
      status: outcome.status,
    });
  }

  private async record(scheduleId: string, occurrence: OccurrenceRecord, outcome: RunOutcome): Promise<void> {
    const { schedules, clock, log } = this.options;
    const now = clock.now();
    const schedule = await schedules.get(scheduleId);
    const key = { scheduleId, dueAt: occurrence.dueAt, attempt: occurrence.attempt };
    if (outcome.status === "succeeded") {
      await schedules.settle(
        key,
        { status: "succeeded", finishedAt: now },
        now,
        schedule ? { id: scheduleId, patch: { failures: 0 } } : undefined,
      );
      log("info", `${scheduleId}: occurrence ${iso(occurrence.dueAt)} succeeded`);
      return;
    }
    if (outcome.status !== "failed") {
      await schedules.settle(
        key,
        { status: "stopped", reason: `the run ended ${outcome.status}`, finishedAt: now },
        now,
      );
      return;
    }
    const reason = outcome.error ?? "the run failed";
    if (!schedule) {
      await schedules.settle(key, { status: "failed", reason, finishedAt: now }, now);
      return;
    }
    const failures = schedule.failures + 1;
    const pause = failures >= schedule.maxFailures;
    await schedules.settle(key, { status: "failed", reason, finishedAt: now }, now, {
      id: scheduleId,
      patch: pause
        ? {
            failures,
            status: "paused",
            pausedReason: `paused after ${failures} failures in a row; last: ${reason}`,
          }
        : { failures },
    });
    log(
      pause ? "error" : "warn",
      `${scheduleId}: occurrence ${iso(occurrence.dueAt)} failed (${failures} in a row): ${reason}`,
    );
    if (pause) {
      log("error", `${scheduleId}: paused after ${failures} failures in a row`);
      return;
    }
    if (occurrence.attempt < schedule.retries) {
      const delay = Math.min(MAX_RETRY_DELAY_MS, RETRY_BASE_MS * 2 ** occurrence.attempt);
      await schedules.claim(
        {
          scheduleId,
          dueAt: occurrence.dueAt,
          attempt: occurrence.attempt + 1,
          kind: "retry",
          status: "waiting",
          reason: null,
          startAfter: now + delay,
          claimedBy: this.options.owner,
        },
        now,
      );
      log(
        "info",
        `${scheduleId}: retry ${occurrence.attempt + 1} of ${schedule.retries} in ${formatDurationSpec(delay)}`,
      );
    }
  }

  /** The earliest instant something is due: a schedule's next occurrence or a waiting start. */
  private async nextDue(now: number): Promise<number | null> {
    const { schedules } = this.options;
    let next: number | null = null;
    const earliest = (at: number | null) => {
      if (at !== null && (next === null || at < next)) next = at;
    };
    for (const schedule of await schedules.list()) {
      if (schedule.status !== "active") continue;
      earliest(new Occurrences(schedule.timing as Timing).next(Math.max(schedule.cursor, now)));
    }
    for (const waiting of await schedules.occurrences({ statuses: ["waiting"], limit: 10_000 })) {
      // Held back by overlap or the cap: their turn comes when a run ends, which wakes the loop.
      if (waiting.startAfter > now) earliest(waiting.startAfter);
    }
    return next;
  }
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}
