import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { RunStatus, RunSummary } from "../api/types.ts";
import { ErrorMessage } from "./Feedback.tsx";

type Control = "pause" | "resume" | "stop" | "cancel";

/** Mirrors the engine's transitions (src/engine/transitions.ts): buttons only where allowed. */
const ALLOWED_FROM: Record<Control, RunStatus[]> = {
  pause: ["running"],
  resume: ["paused", "interrupted"],
  stop: ["running", "paused"],
  cancel: ["queued", "running", "paused", "interrupted"],
};

const LABELS: Record<Control, string> = { pause: "Pause", resume: "Resume", stop: "Stop", cancel: "Cancel" };
const HINTS: Record<Control, string> = {
  pause: "Pause: keep the run in memory, continue with Resume",
  resume: "Continue where the run left off",
  stop: "Stop gracefully; the run can be resumed later",
  cancel: "Cancel for good (not resumable)",
};

export function RunActions({ run }: { run: Pick<RunSummary, "id" | "status"> }) {
  const client = useQueryClient();
  const control = useMutation({
    mutationFn: (action: Control) => api.post<RunSummary>(`/api/runs/${run.id}/${action}`),
    onSuccess: (summary) => {
      client.setQueryData(keys.run(run.id), summary);
      void client.invalidateQueries({ queryKey: keys.runs });
    },
  });
  const controls = (Object.keys(ALLOWED_FROM) as Control[]).filter((c) =>
    ALLOWED_FROM[c].includes(run.status),
  );
  if (controls.length === 0) return null;
  return (
    <div className="actions">
      {controls.map((action) => (
        <button
          key={action}
          type="button"
          className={action === "cancel" ? "button danger" : "button"}
          data-testid={action}
          title={HINTS[action]}
          disabled={control.isPending}
          onClick={() => control.mutate(action)}
        >
          {LABELS[action]}
        </button>
      ))}
      {control.error && <ErrorMessage error={control.error} />}
    </div>
  );
}
