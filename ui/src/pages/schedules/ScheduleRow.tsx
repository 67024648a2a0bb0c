import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { ScheduleView } from "../../api/types.ts";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatInZone } from "../../lib/format.ts";
import { RunNowOutcome } from "./RunNowOutcome.tsx";
import { ScheduleControls, type ScheduleAction } from "./ScheduleControls.tsx";

/** The answer of POST /api/schedules/:id/run-now (other actions answer differently or not at all). */
interface RunNowAnswer {
  schedule: string;
  due: string;
}

/** Runs a schedule action; after "run-now", `queuedDue` is the due time of the occurrence it queued. */
export function useScheduleAction(id: string) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: (action: ScheduleAction): Promise<RunNowAnswer | undefined> =>
      action === "delete"
        ? api.delete<undefined>(`/api/schedules/${id}`)
        : api.post<RunNowAnswer | undefined>(
            `/api/schedules/${id}/${action}`,
            action === "pause" ? { reason: "paused from the web app" } : undefined,
          ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.schedules });
      void client.invalidateQueries({ queryKey: keys.runs });
    },
  });
  const queued = mutation.variables === "run-now" && mutation.data;
  return { ...mutation, queuedDue: queued ? queued.due : null };
}

/** One schedule in the list, with its controls. */
export function ScheduleRow({ schedule, onEdit }: { schedule: ScheduleView; onEdit: () => void }) {
  const action = useScheduleAction(schedule.id);
  const window = [schedule.activeHours, schedule.days].filter(Boolean).join(" ") || "any time";
  return (
    <>
      <tr data-testid="schedule-row" data-schedule-id={schedule.id}>
        <td className="mono">
          <Link to={`/schedules/${schedule.id}`}>{schedule.id}</Link>
        </td>
        <td>{schedule.scraper}</td>
        <td className="mono">{schedule.when}</td>
        <td className="muted">{window}</td>
        <td>
          <StatusBadge status={schedule.status} testId="schedule-status" />
          {schedule.pausedReason && (
            <div className="muted small" data-testid="schedule-paused-reason">
              {schedule.pausedReason}
            </div>
          )}
          {schedule.failuresInARow > 0 && (
            <div className="text-bad small">{schedule.failuresInARow} failure(s) in a row</div>
          )}
        </td>
        <td data-testid="schedule-next">
          {schedule.next ? formatInZone(schedule.next, schedule.zone) : "—"}
        </td>
        <td className="actions-cell">
          <ScheduleControls
            id={schedule.id}
            status={schedule.status}
            onAction={(name) => action.mutate(name)}
            onEdit={onEdit}
            busy={action.isPending}
          />
        </td>
      </tr>
      {action.queuedDue && (
        <tr>
          <td colSpan={7}>
            <RunNowOutcome scheduleId={schedule.id} due={action.queuedDue} />
          </td>
        </tr>
      )}
      {action.error && (
        <tr>
          <td colSpan={7} className="notice notice-error">
            {action.error.message}
          </td>
        </tr>
      )}
    </>
  );
}
