import { useState } from "react";
import { useScrapers } from "../../api/queries.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { RecordOption, RunStarted, useStartRun } from "../../components/RunNowButton.tsx";

/** Start a run: pick a known scraper or type the path of a definition file; record it if asked. */
export function QuickRun() {
  const scrapers = useScrapers();
  const [file, setFile] = useState("");
  const [record, setRecord] = useState(false);
  const start = useStartRun();
  const known = scrapers.data?.scrapers ?? [];
  return (
    <form
      className="card quick-run"
      onSubmit={(event) => {
        event.preventDefault();
        if (file.trim()) start.mutate({ file: file.trim(), record });
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
      <RecordOption checked={record} onChange={setRecord} testId="quick-run-record" />
      <button
        type="submit"
        className="button primary"
        disabled={!file.trim() || start.isPending}
        data-testid="quick-run"
      >
        {start.isPending ? "Starting…" : "Run"}
      </button>
      {start.error && <ErrorMessage error={start.error} />}
      {start.data && !start.isPending && <RunStarted run={start.data} testId="quick-run-started" />}
    </form>
  );
}
