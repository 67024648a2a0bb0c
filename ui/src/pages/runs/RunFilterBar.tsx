import { RUN_STATUSES } from "../../api/types.ts";
import type { RunFilterState } from "./use-run-filters.ts";

/** The History page's filter fields: scraper name, status, created from and until. */
export function RunFilterBar({ state }: { state: RunFilterState }) {
  const { value, setFilter } = state;
  return (
    <div className="filters" data-testid="run-filters">
      <label className="field">
        <span>Scraper</span>
        <input
          type="search"
          value={state.scraperText}
          onChange={(e) => state.setScraperText(e.target.value)}
          placeholder="part of a name"
          data-testid="filter-scraper"
        />
      </label>
      <label className="field">
        <span>Status</span>
        <select
          value={value("status")}
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
          value={value("from")}
          onChange={(e) => setFilter("from", e.target.value)}
          data-testid="filter-from"
        />
      </label>
      <label className="field">
        <span>Until</span>
        <input
          type="date"
          value={value("until")}
          onChange={(e) => setFilter("until", e.target.value)}
          data-testid="filter-until"
        />
      </label>
    </div>
  );
}
