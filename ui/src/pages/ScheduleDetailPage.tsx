import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useSchedule } from "../api/queries.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatDate, formatInZone } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";
import { RunNowOutcome } from "./schedules/RunNowOutcome.tsx";
import { ScheduleControls, type ScheduleAction } from "./schedules/ScheduleControls.tsx";
import { ScheduleForm } from "./schedules/ScheduleForm.tsx";
import { ScheduleHistory } from "./schedules/ScheduleHistory.tsx";
import { useScheduleAction } from "./schedules/ScheduleRow.tsx";

/** One schedule: its settings, the next occurrences and what each past occurrence became. */
export function ScheduleDetailPage() {
  const id = useParams().id ?? "";
  const navigate = useNavigate();
  const { data: schedule, error, isPending } = useSchedule(id);
  const action = useScheduleAction(id);
  const [editing, setEditing] = useState(false);
  usePageTitle(schedule ? `Schedule ${schedule.id} (${schedule.scraper})` : `Schedule ${id}`);
  if (isPending) return <Loading />;
  if (error || !schedule) return <ErrorMessage error={error} title={`Schedule ${id}`} />;
  const act = (name: ScheduleAction) =>
    action.mutate(name, { onSuccess: () => name === "delete" && void navigate("/schedules") });
  return (
    <section className="page" data-testid="schedule-detail">
      <header className="page-header">
        <h1 className="mono">{schedule.id}</h1>
        <StatusBadge status={schedule.status} testId="schedule-status" />
        <span className="spacer" />
        <ScheduleControls
          id={schedule.id}
          status={schedule.status}
          onAction={act}
          onEdit={() => setEditing(true)}
          busy={action.isPending}
        />
      </header>
      {editing && <ScheduleForm schedule={schedule} onDone={() => setEditing(false)} />}
      {action.error && <ErrorMessage error={action.error} />}
      {action.queuedDue && <RunNowOutcome scheduleId={schedule.id} due={action.queuedDue} />}
      {schedule.pausedReason && (
        <p className="notice notice-warn" data-testid="schedule-paused-reason">
          Paused: {schedule.pausedReason}
        </p>
      )}
      <dl className="facts">
        <Fact label="Scraper" value={schedule.scraper} />
        <Fact label="When" value={schedule.when} />
        <Fact label="Zone" value={schedule.zone} />
        <Fact
          label="Window"
          value={[schedule.activeHours, schedule.days].filter(Boolean).join(" ") || "any time"}
        />
        <Fact label="Missed runs" value={schedule.catchUp} />
        <Fact label="Overlap" value={schedule.overlap} />
        <Fact label="Grace" value={schedule.grace} />
        <Fact label="Retries" value={String(schedule.retries)} />
        <Fact label="Pause after" value={`${schedule.maxFailures} failures`} />
        <Fact label="Jitter" value={schedule.jitter ?? "none"} />
      </dl>
      <h2>Upcoming</h2>
      {schedule.upcoming.length === 0 ? (
        <Empty>
          {schedule.status === "paused" ? "Paused: nothing upcoming." : "No upcoming occurrence."}
        </Empty>
      ) : (
        <ol className="preview-list" data-testid="schedule-upcoming">
          {schedule.upcoming.map((iso) => (
            <li key={iso}>
              <strong>{formatInZone(iso, schedule.zone)}</strong>{" "}
              <span className="muted">· {formatDate(iso)} your time</span>
            </li>
          ))}
        </ol>
      )}
      <h2>History</h2>
      <ScheduleHistory schedule={schedule} />
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
