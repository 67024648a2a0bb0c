import { SCHEDULE_DEFAULTS, type ScheduleFields, type ScheduleView } from "../../api/types.ts";

export type RhythmKind = "cron" | "every" | "at" | "daily" | "weekly" | "manual";

/** The form's fields, all text as typed (the server parses and validates them). */
export interface ScheduleDraft {
  file: string;
  kind: RhythmKind;
  value: string;
  tz: string;
  activeHours: string;
  days: string;
  catchUp: "none" | "latest";
  overlap: "skip" | "queue";
  grace: string;
  maxFailures: string;
  retries: string;
  jitter: string;
}

export const RHYTHM_HINTS: Record<RhythmKind, string> = {
  cron: "30 6 * * 1-5",
  every: "15m",
  at: "2026-11-23T09:00",
  daily: "06:30",
  weekly: "mon,thu@09:00",
  manual: "",
};

const SYSTEM_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function emptyDraft(): ScheduleDraft {
  return {
    file: "",
    kind: "daily",
    value: "",
    tz: SYSTEM_ZONE,
    activeHours: "",
    days: "",
    catchUp: SCHEDULE_DEFAULTS.catchUp,
    overlap: SCHEDULE_DEFAULTS.overlap,
    grace: "",
    maxFailures: "",
    retries: "",
    jitter: "",
  };
}

/** A stored schedule as a draft: `when` is the rhythm as the server describes it ("every 15m"). */
export function draftOf(view: ScheduleView): ScheduleDraft {
  const kind: RhythmKind = view.kind === "interval" ? "every" : view.kind === "once" ? "at" : view.kind;
  const value =
    kind === "cron" || kind === "manual"
      ? kind === "cron"
        ? view.when
        : ""
      : view.when.replace(/^\S+\s+/, "");
  return {
    file: view.source ?? "",
    kind,
    value,
    tz: view.zone,
    activeHours: view.activeHours ?? "",
    days: view.days ?? "",
    catchUp: view.catchUp === "none" ? "none" : "latest",
    overlap: view.overlap === "queue" ? "queue" : "skip",
    grace: view.grace ?? "",
    maxFailures: String(view.maxFailures ?? ""),
    retries: String(view.retries ?? ""),
    jitter: view.jitter ?? "",
  };
}

/** The timing fields of a draft, as POST /api/schedules/preview takes them. */
export function timingOf(draft: ScheduleDraft): ScheduleFields {
  const fields: ScheduleFields =
    draft.kind === "manual" ? { manual: true } : { [draft.kind]: draft.value.trim() };
  if (draft.tz.trim()) fields.tz = draft.tz.trim();
  if (draft.activeHours.trim()) fields.activeHours = draft.activeHours.trim();
  if (draft.days.trim()) fields.days = draft.days.trim();
  return fields;
}

/** The body of POST /api/schedules (with `file`) or PATCH /api/schedules/:id (without). */
export type ScheduleBody = ScheduleFields & { file?: string };

/** The full body of a create (POST) or an edit (PATCH: "none" clears a window that was set). */
export function bodyOf(draft: ScheduleDraft, editing: ScheduleView | undefined): ScheduleBody {
  const body: ScheduleBody = { ...timingOf(draft), catchUp: draft.catchUp, overlap: draft.overlap };
  if (!editing) body.file = draft.file.trim();
  if (editing?.activeHours && !draft.activeHours.trim()) body.activeHours = "none";
  if (editing?.days && !draft.days.trim()) body.days = "none";
  if (draft.grace.trim()) body.grace = draft.grace.trim();
  if (draft.jitter.trim()) body.jitter = draft.jitter.trim();
  if (draft.maxFailures.trim()) body.maxFailures = Number(draft.maxFailures);
  if (draft.retries.trim()) body.retries = Number(draft.retries);
  return body;
}
