/** Starts the waiting occurrences whose time has come, and follows their runs to the end. */
import { describeError } from "../core/index.ts";
import type { OccurrenceRecord, ScheduleRecord } from "../store/index.ts";
import { recordOutcome } from "./record-outcome.ts";
import type { RunOutcome, ScheduleRunner, SchedulerContext } from "./types.ts";

/**
 * Admits waiting occurrences within each schedule's overlap policy and the global cap on
 * concurrent runs, starts their runs through the runner and records how each ended.
 */
export class RunStarter {
  /** Runs started by this process that have not ended, by run id. */
  private readonly active = new Map<string, Promise<void>>();
  /** Runs started by this process so far. */
  started = 0;

  /**
   * @param maxConcurrent - scheduled runs running at once, over all schedules
   * @param onRunEnded - called once a run started here has ended and been recorded
   */
  constructor(
    private readonly context: SchedulerContext,
    private readonly maxConcurrent: number,
    private readonly onRunEnded: () => void,
  ) {}

  /** Runs started by this process that are still going. */
  get activeRuns(): number {
    return this.active.size;
  }

  /** Resolves when every run started here has ended and been recorded. */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  /** Starts waiting occurrences whose time has come, within the overlap policy and the global cap. */
  async startWaiting(now: number): Promise<void> {
    const { schedules } = this.context;
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
    const { schedules, runner, clock } = this.context;
    const running = await schedules.occurrences({ scheduleId, statuses: ["running"], limit: 100 });
    for (const occurrence of running) {
      if (
        occurrence.runId &&
        (this.active.has(occurrence.runId) || (await runner.isActive(occurrence.runId)))
      ) {
        return occurrence.runId;
      }
      // Its process died with the run: the run is resumable by hand; the occurrence is over.
      await schedules.settle(
        occurrence,
        { status: "interrupted", reason: "the scheduler running it stopped", finishedAt: clock.now() },
        clock.now(),
      );
    }
    return null;
  }

  private async skip(occurrence: OccurrenceRecord, reason: string): Promise<void> {
    await this.context.schedules.settle(occurrence, { status: "skipped", reason }, this.context.clock.now());
    this.context.emit?.({
      type: "schedule.skipped",
      scheduleId: occurrence.scheduleId,
      dueAt: occurrence.dueAt,
      reason,
    });
    this.context.log(
      "info",
      `${occurrence.scheduleId}: occurrence ${new Date(occurrence.dueAt).toISOString()} skipped: ${reason}`,
    );
  }

  private async start(schedule: ScheduleRecord, occurrence: OccurrenceRecord): Promise<void> {
    const { schedules, runner, clock, log } = this.context;
    const startedAt = clock.now();
    let started: Awaited<ReturnType<ScheduleRunner["start"]>>;
    try {
      started = await runner.start(schedule);
    } catch (error) {
      await schedules.settle(occurrence, { status: "running", startedAt }, startedAt);
      await this.finish(schedule.id, occurrence, { status: "failed", error: describeError(error) });
      return;
    }
    this.started++;
    await schedules.settle(occurrence, { status: "running", runId: started.runId, startedAt }, startedAt);
    log("info", `${schedule.id} (${schedule.scraper}): started run ${started.runId}`);
    this.context.emit?.({
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
        this.onRunEnded();
      });
    this.active.set(started.runId, done);
  }

  /** Records how an occurrence's run ended, then tells the listeners. */
  private async finish(scheduleId: string, occurrence: OccurrenceRecord, outcome: RunOutcome): Promise<void> {
    await recordOutcome(this.context, scheduleId, occurrence, outcome);
    this.context.emit?.({
      type: "schedule.finished",
      scheduleId,
      dueAt: occurrence.dueAt,
      runId: occurrence.runId,
      status: outcome.status,
    });
  }
}
