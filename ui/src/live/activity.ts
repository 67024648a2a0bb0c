/**
 * The activity feed and the recent errors as the server remembers them (GET /api/activity, GET
 * /api/errors): loaded when a page shows them, so a page opened later shows the past, and
 * refreshed when the event stream says something they list changed (see `staleActivity`, called
 * by cache-sync), so a page left open follows. Entries have stable ids: a refreshed first page
 * replaces what was shown, never adds a copy.
 */
import { useInfiniteQuery, useQuery, type QueryKey } from "@tanstack/react-query";
import { api, query } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { ActivityItem, ActivityPage, RunErrorPage } from "../api/types.ts";
import { formatNumber } from "../lib/format.ts";
import type { StreamMessage } from "./events.ts";

/** The feed, newest first, a page at a time (`loadMore` fetches older entries). */
export function useActivityFeed(pageSize = 20) {
  const feed = useInfiniteQuery({
    queryKey: [...keys.activity, pageSize],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<ActivityPage>(`/api/activity${query({ limit: pageSize, before: pageParam })}`),
    getNextPageParam: (page) => page.next,
  });
  return {
    items: uniqueById(feed.data?.pages.flatMap((page) => page.items) ?? []),
    isPending: feed.isPending,
    error: feed.error,
    hasMore: feed.hasNextPage,
    loadingMore: feed.isFetchingNextPage,
    loadMore: () => void feed.fetchNextPage(),
  };
}

/** Runs that failed or have failed requests, newest first. */
export function useRecentErrors(limit = 20) {
  return useQuery({
    queryKey: [...keys.errors, limit],
    queryFn: () => api.get<RunErrorPage>(`/api/errors${query({ limit })}`),
  });
}

/** A page refetched while older ones were loaded may repeat an entry that moved: keep the newest. */
function uniqueById(items: ActivityItem[]): ActivityItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id));
}

/** Last status seen of each run (from `run.updated`), to refresh only when one changes. */
const statuses = new Map<string, string>();

/**
 * The queries an event makes stale: a run that started, paused, ended or changed status (of this
 * process or another) changes the feed and maybe the errors; a schedule event changes the feed.
 */
export function staleActivity(message: StreamMessage): QueryKey[] {
  switch (message.type) {
    case "reset":
      statuses.clear();
      return [keys.activity, keys.errors];
    case "run.started":
    case "run.paused":
    case "run.finished":
      return [keys.activity, keys.errors];
    case "run.updated": {
      const { status, pages } = message.summary;
      const state = `${status}:${pages.failed}`;
      const before = statuses.get(message.runId);
      if (statuses.size > 1000) statuses.clear(); // a long-open tab: forget old runs
      statuses.set(message.runId, state);
      if (before === state) return [];
      return before?.split(":")[0] === status ? [keys.errors] : [keys.activity, keys.errors];
    }
    case "schedule.fired":
    case "schedule.skipped":
    case "schedule.finished":
      return [keys.activity];
    default:
      return [];
  }
}

/** How an entry reads in a feed: its tone and its sentence (the links are added by the view). */
export function describeActivity(item: ActivityItem): { tone: "ok" | "bad" | "warn" | "info"; text: string } {
  const who = item.scraper ?? "a scraper";
  const why = item.message ? `: ${item.message}` : "";
  switch (item.kind) {
    case "run.started":
      return { tone: "info", text: `${who} started` };
    case "run.finished": {
      const records =
        item.records === null
          ? ""
          : ` · ${formatNumber(item.records)} record${item.records === 1 ? "" : "s"}`;
      const tone = item.status === "succeeded" ? "ok" : item.status === "failed" ? "bad" : "warn";
      return { tone, text: `${who} ${item.status}${records}${item.status === "failed" ? why : ""}` };
    }
    case "run.stopped":
      return { tone: "warn", text: `${who} stopped (resumable)` };
    case "run.interrupted":
      return { tone: "warn", text: `${who} interrupted: its process ended (resumable)` };
    case "schedule.fired":
      return { tone: "info", text: `Schedule of ${who} fired` };
    case "schedule.skipped":
      return { tone: "warn", text: `Schedule of ${who} skipped${why}` };
    case "schedule.failed":
      return { tone: "bad", text: `Schedule of ${who} failed${why}` };
    case "schedule.paused":
      return { tone: "warn", text: `Schedule of ${who} paused${why}` };
  }
}
