import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api, query } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { LogCounts, LogLevel, LogPage } from "../../api/types.ts";
import { useLiveEvents } from "../../live/events.ts";

/** No stored line has an id this high: asking for lines after it reads the counts alone. */
const AFTER_EVERY_LINE = Number.MAX_SAFE_INTEGER;
/** While lines arrive, the stored counts are read again this often (and once after the last). */
const RECONCILE_MS = 1500;

/** A live line not counted by the stored counts yet. */
interface LiveLine {
  key: string;
  at: number;
  level: Exclude<LogLevel, "debug">;
}

/**
 * A run's log lines per level, live: the stored counts, plus the `log.written` lines received
 * that are newer than the newest line they counted (so a line that comes twice, or late from the
 * watcher of another process's run, is not counted again). While lines arrive the stored counts
 * are read again every {@link RECONCILE_MS}. Debug lines are not stored: their count is the ones
 * received while the page is open.
 */
export function useLogCounts(runId: string): LogCounts | undefined {
  const client = useQueryClient();
  const countsKey = [...keys.logs(runId), "counts"] as const;
  const stored = useQuery({
    queryKey: countsKey,
    queryFn: () => api.get<LogPage>(`/api/runs/${runId}/logs${query({ after: AFTER_EVERY_LINE, limit: 1 })}`),
  });
  const newest = stored.data?.newestAt ? Date.parse(stored.data.newestAt) : -Infinity;
  const [pending, setPending] = useState<LiveLine[]>([]);
  const [debug, setDebug] = useState(0);
  const debugKeys = useRef(new Set<string>());
  const reconcile = useRef<ReturnType<typeof setTimeout>>(undefined);

  // Lines the fresh counts cover are forgotten.
  useEffect(() => setPending((lines) => lines.filter((line) => line.at > newest)), [newest]);
  useEffect(() => () => clearTimeout(reconcile.current), []);

  useLiveEvents((message) => {
    if (message.type !== "log.written" || message.runId !== runId) return;
    const at = typeof message.at === "number" ? message.at : Date.parse(message.at);
    const key = `${at}|${message.level}|${message.message}`;
    const level = message.level;
    if (level === "debug") {
      if (!debugKeys.current.has(key)) setDebug((n) => n + 1);
      debugKeys.current.add(key);
      return;
    }
    setPending((lines) => (lines.some((line) => line.key === key) ? lines : [...lines, { key, at, level }]));
    reconcile.current ??= setTimeout(() => {
      reconcile.current = undefined;
      void client.invalidateQueries({ queryKey: countsKey, exact: true });
    }, RECONCILE_MS);
  });

  if (!stored.data) return undefined;
  const counts = { ...stored.data.counts, debug };
  for (const line of pending) if (line.at > newest) counts[line.level] += 1;
  return counts;
}
