import { useState } from "react";
import { useSchedules, useScheduler } from "../api/queries.ts";
import type { ScheduleView } from "../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { SchedulerStatusBox } from "../components/SchedulerStatusBox.tsx";
import { ScheduleForm } from "./schedules/ScheduleForm.tsx";
import { ScheduleRow } from "./schedules/ScheduleRow.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

/** Every schedule with its next occurrence and controls, the create/edit form, the scheduler. */
export function SchedulesPage() {
  usePageTitle("Schedules");
  const schedules = useSchedules();
  const scheduler = useScheduler();
  const [editing, setEditing] = useState<ScheduleView | "new" | null>(null);
  const list = schedules.data?.schedules ?? [];
  return (
    <section className="page">
      <header className="page-header">
        <h1>Schedules</h1>
        <span className="spacer" />
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing("new")}
          data-testid="schedule-new"
        >
          New schedule
        </button>
      </header>
      {editing && (
        <ScheduleForm
          key={editing === "new" ? "new" : editing.id}
          schedule={editing === "new" ? undefined : editing}
          onDone={() => setEditing(null)}
        />
      )}
      {schedules.isPending && <Loading />}
      {schedules.error && <ErrorMessage error={schedules.error} />}
      {schedules.data && list.length === 0 && <Empty>No schedules yet.</Empty>}
      {list.length > 0 && (
        <table className="table" data-testid="schedules-table">
          <thead>
            <tr>
              <th>Schedule</th>
              <th>Scraper</th>
              <th>When</th>
              <th>Window</th>
              <th>Status</th>
              <th>Next</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((schedule) => (
              <ScheduleRow key={schedule.id} schedule={schedule} onEdit={() => setEditing(schedule)} />
            ))}
          </tbody>
        </table>
      )}
      <h2>Scheduler</h2>
      {scheduler.error && <ErrorMessage error={scheduler.error} />}
      <SchedulerStatusBox status={scheduler.data} />
    </section>
  );
}
