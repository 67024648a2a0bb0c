import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { RunSummary } from "../api/types.ts";
import { ErrorMessage } from "./Feedback.tsx";

/** Starts a run of a definition file (POST /api/runs), recorded for replay when asked. */
export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, record }: { file: string; record: boolean }) =>
      api.post<RunSummary>("/api/runs", { file, record }),
    onSuccess: (run) => {
      client.setQueryData(keys.run(run.id), run);
      void client.invalidateQueries({ queryKey: keys.runs });
    },
  });
}

/** The "Record for replay" choice of a place that starts runs. */
export function RecordOption({
  checked,
  onChange,
  testId,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
}) {
  return (
    <label
      className="check small"
      title="Keep every page, response, action and screenshot, to replay the run offline"
    >
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        data-testid={testId}
      />
      Record for replay
    </label>
  );
}

/** What a start gave: a link to the started run (the error is shown apart). */
export function RunStarted({ run, testId }: { run: RunSummary; testId: string }) {
  return (
    <span className="notice run-started" role="status" data-testid={testId}>
      Started{" "}
      <Link to={`/runs/${run.id}`} className="mono">
        {run.id}
      </Link>
      {run.recorded && " (recorded)"}
    </span>
  );
}

/**
 * Starts a run of a definition file and says so where it was clicked: "Started RUN-…" with a link,
 * or the server's error. With `recordOption`, a "Record for replay" box beside it.
 */
export function RunNowButton({
  file,
  disabled,
  recordOption = false,
}: {
  file: string;
  disabled?: boolean;
  recordOption?: boolean;
}) {
  const start = useStartRun();
  const [record, setRecord] = useState(false);
  return (
    <>
      {recordOption && <RecordOption checked={record} onChange={setRecord} testId="run-now-record" />}
      <button
        type="button"
        className="button primary"
        disabled={disabled || start.isPending}
        onClick={() => start.mutate({ file, record })}
        data-testid="run-now"
      >
        {start.isPending ? "Starting…" : "Run now"}
      </button>
      {start.data && !start.isPending && <RunStarted run={start.data} testId="run-now-started" />}
      {start.error && <ErrorMessage error={start.error} />}
    </>
  );
}
