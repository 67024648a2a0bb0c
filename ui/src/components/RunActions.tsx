import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { RunControl, RunSummary } from "../api/types.ts";
import { ConfirmButton } from "./ConfirmButton.tsx";
import { ErrorMessage } from "./Feedback.tsx";

const LABELS: Record<RunControl, string> = {
  pause: "Pause",
  resume: "Resume",
  stop: "Stop",
  cancel: "Cancel",
};
const HINTS: Record<RunControl, string> = {
  pause: "Pause: keep the run in memory, continue with Resume",
  resume: "Continue where the run left off",
  stop: "Stop gracefully; the run can be resumed later",
  cancel: "Cancel for good (not resumable)",
};

/**
 * The controls of a run: exactly those the server says will work in its state (`controls` of
 * its summary), so a stopped run offers Resume and Cancel but no Stop. Cancel asks first.
 */
export function RunActions({ run }: { run: Pick<RunSummary, "id" | "controls"> }) {
  const client = useQueryClient();
  const control = useMutation({
    mutationFn: (action: RunControl) => api.post<RunSummary>(`/api/runs/${run.id}/${action}`),
    onSuccess: (summary) => {
      client.setQueryData(keys.run(run.id), summary);
      void client.invalidateQueries({ queryKey: keys.runs });
    },
  });
  if (run.controls.length === 0) return null;
  return (
    <div className="actions">
      {run.controls.map((action) =>
        action === "cancel" ? (
          <ConfirmButton
            key={action}
            testId={action}
            title={HINTS[action]}
            disabled={control.isPending}
            question={`Cancel ${run.id}? A cancelled run cannot be resumed; what it stored stays.`}
            confirmLabel="Cancel the run"
            cancelLabel="Keep it"
            onConfirm={() => control.mutate(action)}
          >
            {LABELS[action]}
          </ConfirmButton>
        ) : (
          <button
            key={action}
            type="button"
            className="button"
            data-testid={action}
            title={HINTS[action]}
            disabled={control.isPending}
            onClick={() => control.mutate(action)}
          >
            {LABELS[action]}
          </button>
        ),
      )}
      {control.error && <ErrorMessage error={control.error} />}
    </div>
  );
}
