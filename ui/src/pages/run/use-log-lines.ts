import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { api, query } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { LogLevel, LogPage } from "../../api/types.ts";
import { useLiveEvents } from "../../live/events.ts";
import type { LogFilter } from "./LogLevelChips.tsx";

/** Stored lines per page read. */
const PAGE = 1000;

/** A log line, stored or live. */
export interface LogLine {
  level: LogLevel;
  message: string;
  at: number;
}
/** Identifies a line among the stored and live ones (live lines carry no id). */
const keyOf = (line: LogLine) => `${line.at}|${line.level}|${line.message}`;

/** Whether `filter` shows lines of `level`: "all" is every stored level (debug is not stored). */
const shows = (filter: LogFilter, level: LogLevel) =>
  filter === "all" ? level !== "debug" : level === filter;

/**
 * A run's log lines of the levels `filter` picks, matching `search`: the stored ones (read on the
 * server, paged forward), then the live ones from `log.written` once every stored page is read.
 */
export function useLogLines(runId: string, filter: LogFilter, search: string) {
  const [live, setLive] = useState<LogLine[]>([]);
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
    const all: LogLine[] = (stored.data?.pages ?? []).flatMap((page) =>
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
  return { stored, lines };
}
