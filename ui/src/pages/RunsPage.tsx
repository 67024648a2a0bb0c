import { useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useRunHistory, type RunFilters } from "../api/queries.ts";
import { RUN_STATUSES } from "../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatDate, formatDuration, formatNumber, runDuration } from "../lib/format.ts";
import { useDebounced } from "../lib/use-debounced.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

/** A local date input ("2026-05-01") as the ISO instant of its local midnight. */
function startOfDay(date: string | null, plusDays = 0): string | undefined {
  if (!date) return undefined;
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

/**
 * Every run, newest first, filtered on the server and paged with its cursor: only the pages the
 * user asks for are loaded, so this stays fast with 100,000 runs. Filters live in the URL; the
 * scraper filter matches a part of the name, as it is typed.
 */
export function RunsPage() {
  usePageTitle("History");
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<string[]>([]);
  const [scraperText, setScraperText] = useState(params.get("scraper") ?? "");
  const typedScraper = useDebounced(scraperText.trim(), 250);
  const filters: RunFilters = {
    ...(params.get("scraper") && { q: params.get("scraper")! }),
    ...(params.get("status") && { status: params.get("status")! }),
    ...(params.get("from") && { from: startOfDay(params.get("from")) }),
    // "until" is inclusive for the user: runs created before the next midnight.
    ...(params.get("until") && { until: startOfDay(params.get("until"), 1) }),
  };
  const history = useRunHistory(filters);
  const runs = history.data?.pages.flatMap((page) => page.runs) ?? [];

  const setFilter = (name: string, value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  useEffect(() => {
    if (typedScraper !== (params.get("scraper") ?? "")) setFilter("scraper", typedScraper);
    // Only typing changes the filter: the URL it writes must not re-run this.
  }, [typedScraper]);
  const toggle = (id: string) =>
    setSelected((current) =>
      current.includes(id) ? current.filter((x) => x !== id) : [...current, id].slice(-2),
    );

  return (
    <section className="page">
      <header className="page-header">
        <h1>History</h1>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          disabled={selected.length !== 2}
          data-testid="compare-selected"
          onClick={() => navigate(`/compare?a=${selected[1]}&b=${selected[0]}`)}
          title="Tick two runs to compare them"
        >
          Compare selected ({selected.length}/2)
        </button>
      </header>
      <div className="filters" data-testid="run-filters">
        <label className="field">
          <span>Scraper</span>
          <input
            type="search"
            value={scraperText}
            onChange={(e) => setScraperText(e.target.value)}
            placeholder="part of a name"
            data-testid="filter-scraper"
          />
        </label>
        <label className="field">
          <span>Status</span>
          <select
            value={params.get("status") ?? ""}
            onChange={(e) => setFilter("status", e.target.value)}
            data-testid="filter-status"
          >
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>From</span>
          <input
            type="date"
            value={params.get("from") ?? ""}
            onChange={(e) => setFilter("from", e.target.value)}
            data-testid="filter-from"
          />
        </label>
        <label className="field">
          <span>Until</span>
          <input
            type="date"
            value={params.get("until") ?? ""}
            onChange={(e) => setFilter("until", e.target.value)}
            data-testid="filter-until"
          />
        </label>
      </div>
      {history.error && <ErrorMessage error={history.error} />}
      {history.isPending && <Loading />}
      {!history.isPending && runs.length === 0 && !history.error && (
        <Empty>No runs match these filters.</Empty>
      )}
      {runs.length > 0 && (
        <table className="table" data-testid="runs-table">
          <thead>
            <tr>
              <th />
              <th>Run</th>
              <th>Scraper</th>
              <th>Status</th>
              <th>Created</th>
              <th className="num">Duration</th>
              <th className="num">Pages</th>
              <th className="num">Records</th>
              <th className="num">Errors</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row" data-run-id={run.id}>
                <td>
                  <input
                    type="checkbox"
                    checked={selected.includes(run.id)}
                    onChange={() => toggle(run.id)}
                    aria-label={`select ${run.id}`}
                  />
                </td>
                <td className="mono">
                  <Link to={`/runs/${run.id}`}>{run.id}</Link>
                </td>
                <td>{run.scraper}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td className="muted">{formatDate(run.createdAt)}</td>
                <td className="num">{formatDuration(runDuration(run))}</td>
                <td className="num">{formatNumber(run.pages.done)}</td>
                <td className="num">{formatNumber(run.records)}</td>
                <td className={run.pages.failed > 0 ? "num text-bad" : "num"}>
                  {formatNumber(run.pages.failed)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {history.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          onClick={() => void history.fetchNextPage()}
          disabled={history.isFetchingNextPage}
          data-testid="load-more"
        >
          {history.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
