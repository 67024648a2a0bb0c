/** The controls of a schedule: pause or resume, run now, (edit,) delete. */
export type ScheduleAction = "pause" | "resume" | "run-now" | "delete";

export function ScheduleControls({
  status,
  onAction,
  onEdit,
}: {
  status: string;
  onAction: (action: ScheduleAction) => void;
  /** Shown between "Run now" and "Delete" when given. */
  onEdit?: () => void;
}) {
  const button = (action: ScheduleAction, label: string, testId: string, className = "button") => (
    <button type="button" className={className} onClick={() => onAction(action)} data-testid={testId}>
      {label}
    </button>
  );
  return (
    <div className="actions">
      {status === "active"
        ? button("pause", "Pause", "schedule-pause")
        : button("resume", "Resume", "schedule-resume")}
      {button("run-now", "Run now", "schedule-run-now")}
      {onEdit && (
        <button type="button" className="button" onClick={onEdit} data-testid="schedule-edit">
          Edit
        </button>
      )}
      {button("delete", "Delete", "schedule-delete", "button danger")}
    </div>
  );
}
