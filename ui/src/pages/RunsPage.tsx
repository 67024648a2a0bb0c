import { useState } from "react";
import { useNavigate } from "react-router";
import { useRunHistory } from "../api/queries.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";
import { RunFilterBar } from "./runs/RunFilterBar.tsx";
import { RunHistoryTable } from "./runs/RunHistoryTable.tsx";
import { useRunFilters } from "./runs/use-run-filters.ts";

/**
 * Every run, newest first, filtered on the server and paged with its cursor: only the pages the
 * user asks for are loaded, so this stays fast with 100,000 runs. Filters live in the URL; the
 * scraper filter matches a part of the name, as it is typed.
 */
export function RunsPage() {
  usePageTitle("History");
  const navigate = useNavigate();
  const [selected, setSelected] = useState<string[]>([]);
  const filterState = useRunFilters();
  const history = useRunHistory(filterState.filters);
  const runs = history.data?.pages.flatMap((page) => page.runs) ?? [];
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
      <RunFilterBar state={filterState} />
      {history.error && <ErrorMessage error={history.error} />}
      {history.isPending && <Loading />}
      {!history.isPending && runs.length === 0 && !history.error && (
        <Empty>No runs match these filters.</Empty>
      )}
      {runs.length > 0 && <RunHistoryTable runs={runs} selected={selected} onToggle={toggle} />}
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
