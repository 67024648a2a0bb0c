import { ConfirmButton } from "../../components/ConfirmButton.tsx";

/** The controls of a schedule: pause or resume, run now, (edit,) delete. */
export type ScheduleAction = "pause" | "resume" | "run-now" | "delete";

export function ScheduleControls({
  id,
  status,
  onAction,
  onEdit,
  busy = false,
}: {
  id: string;
  status: string;
  onAction: (action: ScheduleAction) => void;
  /** Shown between "Run now" and "Delete" when given. */
  onEdit?: () => void;
  /** An action is under way: the buttons wait for it. */
  busy?: boolean;
}) {
  const button = (action: ScheduleAction, label: string, testId: string) => (
    <button
      type="button"
      className="button"
      onClick={() => onAction(action)}
      disabled={busy}
      data-testid={testId}
    >
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
      <ConfirmButton
        question={
          <>
            Delete schedule <span className="mono">{id}</span>? It stops firing and its occurrence history is
            removed; its runs stay in History.
          </>
        }
        cancelLabel="Keep it"
        onConfirm={() => onAction("delete")}
        disabled={busy}
        testId="schedule-delete"
      >
        Delete
      </ConfirmButton>
    </div>
  );
}
