import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { keys, useScrapers } from "../../api/queries.ts";
import type { RunSummary } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";

/** Start a run: pick a known scraper or type the path of a definition file. */
export function QuickRun() {
  const client = useQueryClient();
  const scrapers = useScrapers();
  const [file, setFile] = useState("");
  const start = useMutation({
    mutationFn: (path: string) => api.post<RunSummary>("/api/runs", { file: path }),
    onSuccess: (run) => {
      client.setQueryData(keys.run(run.id), run);
      void client.invalidateQueries({ queryKey: keys.runs });
    },
  });
  const known = scrapers.data?.scrapers ?? [];
  return (
    <form
      className="card quick-run"
      onSubmit={(event) => {
        event.preventDefault();
        if (file.trim()) start.mutate(file.trim());
      }}
    >
      <label className="field grow">
        <span>Quick run</span>
        <input
          list="quick-run-scrapers"
          placeholder="Scraper file, e.g. examples/bookshop.yaml"
          value={file}
          onChange={(event) => setFile(event.target.value)}
          data-testid="quick-run-file"
        />
        <datalist id="quick-run-scrapers">
          {known.map((s) => (
            <option key={s.file} value={s.file}>
              {s.name}
            </option>
          ))}
        </datalist>
      </label>
      {known.length > 0 && (
        <label className="field">
          <span>or pick</span>
          <select value="" onChange={(event) => setFile(event.target.value)} data-testid="quick-run-select">
            <option value="">Scraper…</option>
            {known.map((s) => (
              <option key={s.file} value={s.file} disabled={!s.valid}>
                {s.name}
                {s.valid ? "" : " (invalid)"}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="submit"
        className="button primary"
        disabled={!file.trim() || start.isPending}
        data-testid="quick-run"
      >
        {start.isPending ? "Starting…" : "Run"}
      </button>
      {start.error && <ErrorMessage error={start.error} />}
      {start.data && !start.isPending && (
        <p className="notice" data-testid="quick-run-started">
          Started <Link to={`/runs/${start.data.id}`}>{start.data.id}</Link>
        </p>
      )}
    </form>
  );
}
