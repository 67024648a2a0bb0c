import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { ScheduleView } from "../../api/types.ts";
import { bodyOf, draftOf, emptyDraft, type ScheduleDraft } from "./timing.ts";

/** The schedule form's draft, how to change one of its fields, and saving it. */
export interface ScheduleFormState {
  draft: ScheduleDraft;
  set<K extends keyof ScheduleDraft>(name: K, value: ScheduleDraft[K]): void;
  /** Creates the schedule, or saves the one edited; `onDone` once it is stored. */
  save: ReturnType<typeof useSaveSchedule>;
  /** Whether the rhythm is complete enough to preview and save. */
  ready: boolean;
}

/** The state of the form that creates a schedule, or edits `schedule`. */
export function useScheduleForm(schedule: ScheduleView | undefined, onDone: () => void): ScheduleFormState {
  const [draft, setDraft] = useState<ScheduleDraft>(() => (schedule ? draftOf(schedule) : emptyDraft()));
  const set = <K extends keyof ScheduleDraft>(name: K, value: ScheduleDraft[K]) =>
    setDraft((current) => ({ ...current, [name]: value }));
  const save = useSaveSchedule(schedule, draft, onDone);
  const ready = draft.kind === "manual" || draft.value.trim() !== "";
  return { draft, set, save, ready };
}

function useSaveSchedule(schedule: ScheduleView | undefined, draft: ScheduleDraft, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      schedule
        ? api.patch<ScheduleView>(`/api/schedules/${schedule.id}`, bodyOf(draft, schedule))
        : api.post<ScheduleView>("/api/schedules", bodyOf(draft, undefined)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.schedules });
      onDone();
    },
  });
}
