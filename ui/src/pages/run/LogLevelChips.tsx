import type { LogCounts, LogLevel } from "../../api/types.ts";
import { formatNumber } from "../../lib/format.ts";

/** What the log shows: every stored level (info and above), or one level only. */
export type LogFilter = "all" | LogLevel;

/**
 * The log's level filter as toggle buttons with their counts (`all 55 · error 3 · warn 12 ·
 * info 40`); the debug chip appears once debug lines arrived. Keyboard: Tab to a chip, Enter or
 * Space to pick it.
 */
export function LogLevelChips({
  counts,
  value,
  onChange,
}: {
  counts: LogCounts | undefined;
  value: LogFilter;
  onChange(filter: LogFilter): void;
}) {
  const c = counts ?? { debug: 0, info: 0, warn: 0, error: 0 };
  const chips: [LogFilter, number][] = [
    ["all", c.info + c.warn + c.error],
    ["error", c.error],
    ["warn", c.warn],
    ["info", c.info],
  ];
  if (c.debug > 0 || value === "debug") chips.push(["debug", c.debug]);
  return (
    <div className="chips log-chips" role="group" aria-label="Log levels shown" data-testid="log-chips">
      {chips.map(([filter, count]) => (
        <button
          key={filter}
          type="button"
          className="chip log-chip"
          aria-pressed={value === filter}
          data-testid="log-chip"
          data-level={filter}
          data-count={counts ? count : undefined}
          onClick={() => onChange(filter)}
        >
          {filter} <span className="chip-count">{counts ? formatNumber(count) : "…"}</span>
        </button>
      ))}
    </div>
  );
}
