import { useScrapers } from "../../api/queries.ts";
import { SCHEDULE_DEFAULTS, type ScheduleView } from "../../api/types.ts";
import type { ScheduleDraft } from "./timing.ts";
import type { ScheduleFormState } from "./use-schedule-form.ts";

type TextField = Exclude<keyof ScheduleDraft, "kind" | "catchUp" | "overlap">;

/** A text field of the draft; its test id is `schedule-<name>` unless given. */
export function DraftText({
  form,
  name,
  label,
  placeholder = "",
  testId = `schedule-${name}`,
}: {
  form: ScheduleFormState;
  name: TextField;
  label: string;
  placeholder?: string;
  testId?: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        value={form.draft[name]}
        placeholder={placeholder}
        onChange={(e) => form.set(name, e.target.value)}
        data-testid={testId}
      />
    </label>
  );
}

/** The scraper: fixed when editing, else a definition file to type or pick from the scraper folders. */
export function ScraperField({ form, schedule }: { form: ScheduleFormState; schedule?: ScheduleView }) {
  const scrapers = useScrapers();
  return schedule ? (
    <div className="field">
      <span>Scraper</span>
      <div className="mono">{schedule.source ?? schedule.scraper}</div>
    </div>
  ) : (
    <label className="field">
      <span>Scraper file</span>
      <input
        list="schedule-scrapers"
        value={form.draft.file}
        onChange={(e) => form.set("file", e.target.value)}
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
  );
}

/** What happens to missed runs and overlapping ones, grace, jitter, retries and the failure pause. */
export function PolicyFields({ form }: { form: ScheduleFormState }) {
  const { draft, set } = form;
  return (
    <>
      <div className="field-row">
        <label className="field">
          <span>Missed runs</span>
          <select value={draft.catchUp} onChange={(e) => set("catchUp", e.target.value as "none" | "latest")}>
            <option value="latest">catch up the latest</option>
            <option value="none">skip them</option>
          </select>
        </label>
        <label className="field">
          <span>If still running</span>
          <select value={draft.overlap} onChange={(e) => set("overlap", e.target.value as "skip" | "queue")}>
            <option value="skip">skip</option>
            <option value="queue">queue</option>
          </select>
        </label>
      </div>
      {/* Placeholders are the values saved when a field is left empty. */}
      <div className="field-row">
        <DraftText form={form} name="grace" label="Grace" placeholder={SCHEDULE_DEFAULTS.grace} />
        <DraftText form={form} name="jitter" label="Jitter" placeholder={SCHEDULE_DEFAULTS.jitter} />
        <DraftText
          form={form}
          name="retries"
          label="Retries"
          placeholder={String(SCHEDULE_DEFAULTS.retries)}
        />
        <DraftText
          form={form}
          name="maxFailures"
          label="Pause after failures"
          placeholder={String(SCHEDULE_DEFAULTS.maxFailures)}
        />
      </div>
    </>
  );
}
