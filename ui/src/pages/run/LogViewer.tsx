import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, query } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { LogLevel, LogPage } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { useLiveEvents } from "../../live/events.ts";
import { LogLevelChips, type LogFilter } from "./LogLevelChips.tsx";
import { useLogCounts } from "./use-log-counts.ts";

const PAGE = 1000;
/** Rendering more lines than this makes the page sluggish; the search narrows them down. */
const MAX_SHOWN = 2000;

interface Line {
  level: LogLevel;
  message: string;
  at: number;
}
/** Identifies a line among the stored and live ones (live lines carry no id). */
const keyOf = (line: Line) => `${line.at}|${line.level}|${line.message}`;

/** Whether `filter` shows lines of `level`: "all" is every stored level (debug is not stored). */
const shows = (filter: LogFilter, level: LogLevel) =>
  filter === "all" ? level !== "debug" : level === filter;

/**
 * A run's log: stored lines of the chosen levels (read on the server, paged forward), then live
 * lines from `log.written`; chips with the counts per level pick the levels.
 */
export function LogViewer({ runId }: { runId: string }) {
  const [filter, setFilter] = useState<LogFilter>("all");
  const [search, setSearch] = useState("");
  const [follow, setFollow] = useState(true);
  const [live, setLive] = useState<Line[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const counts = useLogCounts(runId);

  const stored = useInfiniteQuery({
    queryKey: [...keys.logs(runId), filter],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      api.get<LogPage>(
        `/api/runs/${runId}/logs${query({
          after: pageParam,
          limit: PAGE,
          ...(filter === "all" ? { level: "info" } : { levels: filter }),
        })}`,
      ),
    getNextPageParam: (page) => (page.logs.length === PAGE ? page.logs.at(-1)!.id : undefined),
  });

  // A line can come twice (this process's bus, then the watcher of other processes' runs).
  const liveKeys = useRef(new Set<string>());
  useLiveEvents((message) => {
    if (message.type !== "log.written" || message.runId !== runId) return;
    const at = typeof message.at === "number" ? message.at : Date.parse(message.at);
    const line = { level: message.level, message: message.message, at };
    if (liveKeys.current.has(keyOf(line))) return;
    liveKeys.current.add(keyOf(line));
    setLive((lines) => [...lines, line].slice(-10_000));
  });

  const lines = useMemo(() => {
    const all: Line[] = (stored.data?.pages ?? []).flatMap((page) =>
      page.logs.map((l) => ({ level: l.level, message: l.message, at: Date.parse(l.at) })),
    );
    // Live lines that arrived before the stored page was read are already in it.
    const seen = new Set(all.map(keyOf));
    if (!stored.hasNextPage) {
      for (const line of live) if (shows(filter, line.level) && !seen.has(keyOf(line))) all.push(line);
    }
    const needle = search.trim().toLowerCase();
    return needle ? all.filter((line) => line.message.toLowerCase().includes(needle)) : all;
  }, [stored.data, stored.hasNextPage, live, search, filter]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  const shown = lines.slice(-MAX_SHOWN);
  return (
    <>
      <h2>Log</h2>
      <LogLevelChips counts={counts} value={filter} onChange={setFilter} />
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search the log"
          aria-label="Search the log"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="log-search"
        />
        <label className="check">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
            data-testid="log-follow"
          />
          Follow
        </label>
        <span className="muted">
          {lines.length > shown.length
            ? `last ${shown.length} of ${lines.length} lines`
            : `${lines.length} lines`}
        </span>
      </div>
      {stored.error && <ErrorMessage error={stored.error} />}
      <div
        className="log"
        ref={box}
        data-testid="log-viewer"
        data-filter={filter}
        onWheel={(e) => e.deltaY < 0 && follow && setFollow(false)}
      >
        {shown.map((line, index) => (
          <div
            key={index}
            className={`log-line level-${line.level}`}
            data-testid="log-line"
            data-level={line.level}
          >
            <span className="log-time">{new Date(line.at).toLocaleTimeString()}</span>
            <span className="log-level">{line.level}</span>
            <span className="log-message">{line.message}</span>
          </div>
        ))}
        {shown.length === 0 && !stored.isPending && (
          <div className="muted">No log lines{search || filter !== "all" ? " match" : ""}.</div>
        )}
      </div>
      {stored.hasNextPage && (
        <button
          type="button"
          className="button"
          onClick={() => void stored.fetchNextPage()}
          data-testid="log-more"
        >
          Load more lines
        </button>
      )}
    </>
  );
}
