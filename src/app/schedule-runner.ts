import { describeError } from "../core/index.ts";
import { loadScraper } from "../pipeline/index.ts";
import type { RunOutcome, ScheduleRunner } from "../scheduler/index.ts";
import type { Store } from "../store/index.ts";
import type { AuditedEngine } from "./audited-engine.ts";

/**
 * The scheduler's runner on this process's engine: a scheduled run is a normal run, loaded afresh
 * from the schedule's definition file (edits to the file apply to the next run).
 */
export function engineScheduleRunner(engine: AuditedEngine, store: Store): ScheduleRunner {
  const running = new Map<string, Promise<RunOutcome>>();
  return {
    async start(schedule) {
      const scraper = await loadScraper(schedule.source);
      const run = await engine.create(scraper, {}, "scheduler");
      const finished = engine.execute(run.id, scraper).then(
        (ended): RunOutcome => ({ status: ended.status, error: ended.error }),
        (error: unknown): RunOutcome => ({ status: "failed", error: describeError(error) }),
      );
      running.set(run.id, finished);
      void finished.finally(() => running.delete(run.id));
      return { runId: run.id, finished };
    },
    async isActive(runId) {
      if (running.has(runId)) return true;
      await engine.detectInterrupted();
      const run = await store.runs.get(runId);
      return (
        run !== null &&
        (run.status === "queued" ||
          run.status === "running" ||
          (run.status === "paused" && run.owner !== null))
      );
    },
    async stopAll() {
      await Promise.all(
        [...running.keys()].map((runId) => engine.stop(runId, "scheduler").catch(() => undefined)),
      );
      await Promise.allSettled(running.values());
    },
  };
}
