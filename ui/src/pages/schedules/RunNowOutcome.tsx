import { Link } from "react-router";
import { useScheduleHistory, useScheduler } from "../../api/queries.ts";

/**
 * What became of a schedule's "Run now" (an occurrence due at `due`): queued until the leading
 * scheduler starts it, then a link to its run, or why it was skipped. The schedule.* events
 * refresh the history it reads, so it follows without polling.
 */
export function RunNowOutcome({ scheduleId, due }: { scheduleId: string; due: string }) {
  const history = useScheduleHistory(scheduleId);
  const scheduler = useScheduler();
  const occurrence = history.data?.history.find((o) => o.due === due && o.kind === "manual");
  const text = () => {
    if (occurrence?.run) {
      return (
        <>
          Started{" "}
          <Link to={`/runs/${occurrence.run}`} className="mono" data-testid="schedule-run-now-run">
            {occurrence.run}
          </Link>
        </>
      );
    }
    if (occurrence && ["skipped", "failed"].includes(occurrence.status)) {
      return `Not started (${occurrence.status}): ${occurrence.reason ?? "no reason given"}`;
    }
    if (scheduler.data && !scheduler.data.running) {
      return "Queued, but no scheduler is running: it starts when one does (trawl serve, or trawl scheduler).";
    }
    return "Queued: the scheduler starts it in a moment…";
  };
  return (
    <p className="notice" role="status" data-testid="schedule-run-now-outcome">
      {text()}
    </p>
  );
}
