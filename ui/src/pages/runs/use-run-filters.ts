import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import type { RunFilters } from "../../api/queries.ts";
import { useDebounced } from "../../lib/use-debounced.ts";

/** A local date input ("2026-05-01") as the ISO instant of its local midnight. */
function startOfDay(date: string | null, plusDays = 0): string | undefined {
  if (!date) return undefined;
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
}

/** The History page's filters: their values, the text typed in the scraper box, and their setters. */
export interface RunFilterState {
  /** The filters as the server takes them. */
  filters: RunFilters;
  /** A filter's value in the URL ("" when unset). */
  value(name: "status" | "from" | "until"): string;
  /** Sets a filter in the URL (an empty value removes it), replacing the history entry. */
  setFilter(name: string, value: string): void;
  /** The scraper box's text; it becomes the `scraper` filter once typing pauses. */
  scraperText: string;
  setScraperText(text: string): void;
}

/**
 * The History page's filters, kept in the URL. The scraper filter matches a part of the name and
 * follows the box as it is typed (debounced); "until" is inclusive for the user.
 */
export function useRunFilters(): RunFilterState {
  const [params, setParams] = useSearchParams();
  const [scraperText, setScraperText] = useState(params.get("scraper") ?? "");
  const typedScraper = useDebounced(scraperText.trim(), 250);
  const filters: RunFilters = {
    ...(params.get("scraper") && { q: params.get("scraper")! }),
    ...(params.get("status") && { status: params.get("status")! }),
    ...(params.get("from") && { from: startOfDay(params.get("from")) }),
    // "until" is inclusive for the user: runs created before the next midnight.
    ...(params.get("until") && { until: startOfDay(params.get("until"), 1) }),
  };
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
  return {
    filters,
    value: (name) => params.get(name) ?? "",
    setFilter,
    scraperText,
    setScraperText,
  };
}
