import type { ScheduleView } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { SchedulePreview } from "./SchedulePreview.tsx";
import { DraftText, PolicyFields, ScraperField } from "./ScheduleFormFields.tsx";
import { RHYTHM_HINTS, timingOf, type RhythmKind } from "./timing.ts";
import { useScheduleForm } from "./use-schedule-form.ts";

const KINDS: { kind: RhythmKind; label: string }[] = [
  { kind: "daily", label: "Daily at" },
  { kind: "weekly", label: "Weekly on" },
  { kind: "every", label: "Every" },
  { kind: "cron", label: "Cron" },
  { kind: "at", label: "Once at" },
  { kind: "manual", label: "Manual only" },
];

/** Creates a schedule, or edits one; the preview shows when the typed timing would fire. */
export function ScheduleForm({ schedule, onDone }: { schedule?: ScheduleView; onDone: () => void }) {
  const form = useScheduleForm(schedule, onDone);
  const { draft, set, save, ready } = form;
  return (
    <form
      className="card schedule-form"
      data-testid="schedule-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <h2>{schedule ? `Edit ${schedule.id}` : "New schedule"}</h2>
      <div className="form-columns">
        <div className="form-grid">
          <ScraperField form={form} {...(schedule && { schedule })} />
          <div className="field-row">
            <label className="field">
              <span>Rhythm</span>
              <select
                value={draft.kind}
                onChange={(e) => set("kind", e.target.value as RhythmKind)}
                data-testid="schedule-kind"
              >
                {KINDS.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.label}
                  </option>
                ))}
              </select>
            </label>
            {draft.kind !== "manual" && (
              <DraftText
                form={form}
                name="value"
                label="Value"
                placeholder={RHYTHM_HINTS[draft.kind]}
                testId="schedule-value"
              />
            )}
          </div>
          <DraftText form={form} name="tz" label="Time zone" placeholder="Europe/Berlin" />
          <div className="field-row">
            <DraftText form={form} name="activeHours" label="Active hours" placeholder="07:00-22:00" />
            <DraftText form={form} name="days" label="Days" placeholder="mon-fri" />
          </div>
          <PolicyFields form={form} />
        </div>
        <SchedulePreview timing={timingOf(draft)} ready={ready} />
      </div>
      {save.error && <ErrorMessage error={save.error} />}
      <div className="actions">
        <button
          type="submit"
          className="button primary"
          disabled={save.isPending || !ready}
          data-testid="schedule-save"
        >
          {schedule ? "Save" : "Create"}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
