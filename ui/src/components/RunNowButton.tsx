import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { RunSummary } from "../api/types.ts";
import { ErrorMessage } from "./Feedback.tsx";

/** Starts a run of a definition file and opens it. */
export function RunNowButton({ file, disabled }: { file: string; disabled?: boolean }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const start = useMutation({
    mutationFn: () => api.post<RunSummary>("/api/runs", { file }),
    onSuccess: (run) => {
      client.setQueryData(keys.run(run.id), run);
      void client.invalidateQueries({ queryKey: keys.runs });
      void navigate(`/runs/${run.id}`);
    },
  });
  return (
    <>
      <button
        type="button"
        className="button primary"
        disabled={disabled || start.isPending}
        onClick={() => start.mutate()}
        data-testid="run-now"
      >
        {start.isPending ? "Starting…" : "Run now"}
      </button>
      {start.error && <ErrorMessage error={start.error} />}
    </>
  );
}
