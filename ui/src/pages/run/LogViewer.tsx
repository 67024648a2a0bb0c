import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, query } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { LogLevel, LogLine } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { useLiveEvents } from "../../live/events.ts";

const LEVELS: LogLevel[] = ["debug", "info", "warn", "error"];
const PAGE = 1000;
/** Rendering more lines than this makes the page sluggish; the search narrows them down. */
const MAX_SHOWN = 2000;

interface Line {
  level: LogLevel;
  message: string;
  at: number;
}
const keyOf = (line: Line) => `${line.at}|${line.level}|${line.message}`;

/** A run's log: stored lines (paged forward), then live lines from `log.written`. */
export function LogViewer({ runId }: { runId: string }) {
  const [minLevel, setMinLevel] = useState<LogLevel>("info");
  const [search, setSearch] = useState("");
  const [follow, setFollow] = useState(true);
  const [live, setLive] = useState<Line[]>([]);
  const box = useRef<HTMLDivElement>(null);

  const stored = useInfiniteQuery({
    queryKey: keys.logs(runId),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      api.get<{ logs: LogLine[] }>(`/api/runs/${runId}/logs${query({ after: pageParam, limit: PAGE })}`),
    getNextPageParam: (page) => (page.logs.length === PAGE ? page.logs.at(-1)!.id : undefined),
  });

  useLiveEvents((message) => {
    if (message.type !== "log.written" || message.runId !== runId) return;
    const at = typeof message.at === "number" ? message.at : Date.parse(message.at);
    setLive((lines) => [...lines, { level: message.level, message: message.message, at }].slice(-10_000));
  });

  const lines = useMemo(() => {
    const all: Line[] = (stored.data?.pages ?? []).flatMap((page) =>
      page.logs.map((l) => ({ level: l.level, message: l.message, at: Date.parse(l.at) })),
    );
    // Live lines that arrived before the stored page was read are already in it.
    const seen = new Set(all.map(keyOf));
    if (!stored.hasNextPage) for (const line of live) if (!seen.has(keyOf(line))) all.push(line);
    const needle = search.trim().toLowerCase();
    const minimum = LEVELS.indexOf(minLevel);
    return all.filter(
      (line) =>
        LEVELS.indexOf(line.level) >= minimum && (!needle || line.message.toLowerCase().includes(needle)),
    );
  }, [stored.data, stored.hasNextPage, live, search, minLevel]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  const shown = lines.slice(-MAX_SHOWN);
  return (
    <>
      <h2>Log</h2>
      <div className="toolbar">
        <select
          value={minLevel}
          onChange={(e) => setMinLevel(e.target.value as LogLevel)}
          data-testid="log-level"
        >
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {level} and above
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="Search the log"
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
        {shown.length === 0 && (
          <div className="muted">No log lines{search || minLevel !== "debug" ? " match" : ""}.</div>
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
