import type { useRecordsExplorer } from "./use-records-explorer.ts";

const PAGE_SIZES = [25, 50, 100, 250];

/** The page size, and Previous and Next through the pages of a records explorer. */
export function RecordPager({ explorer }: { explorer: ReturnType<typeof useRecordsExplorer> }) {
  return (
    <div className="toolbar">
      <select
        value={explorer.limit}
        onChange={(e) => explorer.setLimit(Number(e.target.value))}
        aria-label="Records per page"
      >
        {PAGE_SIZES.map((size) => (
          <option key={size} value={size}>
            {size} / page
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button"
        disabled={!explorer.hasPrevious}
        onClick={explorer.previous}
        data-testid="records-prev"
      >
        ‹ Previous
      </button>
      <button
        type="button"
        className="button"
        disabled={!explorer.data?.next || explorer.page.isPlaceholderData}
        onClick={explorer.next}
        data-testid="records-next"
      >
        Next ›
      </button>
    </div>
  );
}
