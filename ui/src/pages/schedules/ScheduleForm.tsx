import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client.ts";
import { keys, useScrapers } from "../../api/queries.ts";
import { SCHEDULE_DEFAULTS, type ScheduleView } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { SchedulePreview } from "./SchedulePreview.tsx";
import {
  bodyOf,
  draftOf,
  emptyDraft,
  RHYTHM_HINTS,
  timingOf,
  type RhythmKind,
  type ScheduleDraft,
} from "./timing.ts";

const KINDS: { kind: RhythmKind; label: string }[] = [
  { kind: "daily", label: "Daily at" },
  { kind: "weekly", label: "Weekly on" },
  { kind: "every", label: "Every" },
  { kind: "cron", label: "Cron" },
  { kind: "at", label: "Once at" },
  { kind: "manual", label: "Manual only" },
];

type TextField = Exclude<keyof ScheduleDraft, "kind" | "catchUp" | "overlap">;

/** Creates a schedule, or edits one; the preview shows when the typed timing would fire. */
export function ScheduleForm({ schedule, onDone }: { schedule?: ScheduleView; onDone: () => void }) {
  const client = useQueryClient();
  const scrapers = useScrapers();
  const [draft, setDraft] = useState<ScheduleDraft>(() => (schedule ? draftOf(schedule) : emptyDraft()));
  const set = <K extends keyof ScheduleDraft>(name: K, value: ScheduleDraft[K]) =>
    setDraft((current) => ({ ...current, [name]: value }));
  const save = useMutation({
    mutationFn: () =>
      schedule
        ? api.patch<ScheduleView>(`/api/schedules/${schedule.id}`, bodyOf(draft, schedule))
        : api.post<ScheduleView>("/api/schedules", bodyOf(draft, undefined)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.schedules });
      onDone();
    },
  });
  const text = (name: TextField, label: string, placeholder = "", testId = `schedule-${name}`) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={draft[name]}
        placeholder={placeholder}
        onChange={(e) => set(name, e.target.value)}
        data-testid={testId}
      />
    </label>
  );
  const ready = draft.kind === "manual" || draft.value.trim() !== "";

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
          {schedule ? (
            <div className="field">
              <span>Scraper</span>
              <div className="mono">{schedule.source ?? schedule.scraper}</div>
            </div>
          ) : (
            <label className="field">
              <span>Scraper file</span>
              <input
                list="schedule-scrapers"
                value={draft.file}
                onChange={(e) => set("file", e.target.value)}
                placeholder="examples/bookshop.yaml"
                data-testid="schedule-file"
                required
              />
              <datalist id="schedule-scrapers">
                {(scrapers.data?.scrapers ?? []).map((s) => (
                  <option key={s.file} value={s.file}>
                    {s.name}
                  </option>
                ))}
              </datalist>
            </label>
          )}
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
            {draft.kind !== "manual" && text("value", "Value", RHYTHM_HINTS[draft.kind], "schedule-value")}
          </div>
          {text("tz", "Time zone", "Europe/Berlin")}
          <div className="field-row">
            {text("activeHours", "Active hours", "07:00-22:00")}
            {text("days", "Days", "mon-fri")}
          </div>
          <div className="field-row">
            <label className="field">
              <span>Missed runs</span>
              <select
                value={draft.catchUp}
                onChange={(e) => set("catchUp", e.target.value as "none" | "latest")}
              >
                <option value="latest">catch up the latest</option>
                <option value="none">skip them</option>
              </select>
            </label>
            <label className="field">
              <span>If still running</span>
              <select
                value={draft.overlap}
                onChange={(e) => set("overlap", e.target.value as "skip" | "queue")}
              >
                <option value="skip">skip</option>
                <option value="queue">queue</option>
              </select>
            </label>
          </div>
          {/* Placeholders are the values saved when a field is left empty. */}
          <div className="field-row">
            {text("grace", "Grace", SCHEDULE_DEFAULTS.grace)}
            {text("jitter", "Jitter", SCHEDULE_DEFAULTS.jitter)}
            {text("retries", "Retries", String(SCHEDULE_DEFAULTS.retries))}
            {text("maxFailures", "Pause after failures", String(SCHEDULE_DEFAULTS.maxFailures))}
          </div>
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
