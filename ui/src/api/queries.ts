/**
 * Query keys and hooks for every API read. Keys are shared with live/cache-sync.ts, which keeps
 * them fresh from server-sent events, so nothing here polls (except /health, see HealthPage).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, query } from "./client.ts";
import { LIVE_RUN_STATUSES } from "./types.ts";
import type {
  AuditPage,
  Capture,
  CaptureKind,
  CapturePage,
  CaptureSource,
  Comparison,
  DatasetList,
  DatasetRecordPage,
  RecordPage,
  RunChanges,
  RunPage,
  RunSummary,
  ScheduleDetail,
  ScheduleHistory,
  ScheduleList,
  SchedulerStatus,
  ScraperDefinition,
  ScraperList,
  SecretList,
  SessionList,
  Fleet,
} from "./types.ts";

export const keys = {
  runs: ["runs"] as const,
  activeRuns: ["runs", "active"] as const,
  runList: (filters: RunFilters) => ["runs", "list", filters] as const,
  run: (id: string) => ["run", id] as const,
  logs: (id: string) => ["logs", id] as const,
  /** A page of a run's records by its query string; cache-sync refreshes `["records", id]`. */
  records: (id: string, params: string) => ["records", id, params] as const,
  datasetRecords: (name: string, version: number, params: string) =>
    ["dataset-records", name, version, params] as const,
  changes: (id: string) => ["changes", id] as const,
  /** Everything under it is refreshed together when a run's captures may have grown. */
  captures: (id: string) => ["captures", id] as const,
  captureList: (id: string, kinds: CaptureKind[]) => ["captures", id, "list", kinds.join(",")] as const,
  captureCounts: (id: string) => ["captures", id, "counts"] as const,
  captureSource: (id: string, record: number | null, url: string | null) =>
    ["captures", id, "source", record, url] as const,
  compare: (a: string, b: string) => ["compare", a, b] as const,
  schedules: ["schedules"] as const,
  schedule: (id: string) => ["schedules", id] as const,
  scheduler: ["scheduler"] as const,
  scrapers: ["scrapers"] as const,
  sessions: ["sessions"] as const,
  secrets: ["secrets"] as const,
  definition: (file: string) => ["scrapers", "definition", file] as const,
  datasets: ["datasets"] as const,
  health: ["health"] as const,
  /** Stored health samples of the last `rangeMs`. */
  healthSamples: (rangeMs: number) => ["health-samples", rangeMs] as const,
  /** The server's samples over a run's time range, and the run's pace. */
  runResources: (id: string) => ["run-resources", id] as const,
  /** The activity feed (every page size under it) and recent errors: refreshed on run and schedule events. */
  activity: ["activity"] as const,
  errors: ["errors"] as const,
  /** The audit log by its filters. */
  audit: (filters: AuditFilters) => ["audit", filters] as const,
  workers: ["workers"] as const,
};

/** The Audit page's filters: an action, entries since an instant (ISO 8601). */
export interface AuditFilters {
  action?: string;
  since?: string;
}

/**
 * The audit log, newest page first (`next` pages to older entries). Fetched afresh whenever the
 * page is shown: no event announces a new entry.
 */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: keys.audit(filters),
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) =>
      api.get<AuditPage>(`/api/audit${query({ ...filters, limit: 100, before: pageParam })}`),
    getNextPageParam: (page) => page.next,
    refetchOnMount: "always",
  });
}

export interface RunFilters {
  /** The scraper's name, exactly. */
  scraper?: string;
  /** A part of the scraper's name, any case (the `q` of GET /api/runs). */
  q?: string;
  status?: string;
  from?: string;
  until?: string;
  limit?: number;
}

/** Running, paused and queued runs (at most 50 of each: the dashboard is not a history). */
export function useActiveRuns() {
  return useQuery({
    queryKey: keys.activeRuns,
    queryFn: async () => {
      const pages = await Promise.all(
        LIVE_RUN_STATUSES.map((status) => api.get<RunPage>(`/api/runs${query({ status, limit: 50 })}`)),
      );
      return pages.flatMap((page) => page.runs);
    },
  });
}

/** One page of runs (for selects and "recent" lists). */
export function useRunList(filters: RunFilters) {
  return useQuery({
    queryKey: keys.runList(filters),
    queryFn: () => api.get<RunPage>(`/api/runs${query({ ...filters })}`),
  });
}

/** Runs paged with the `next` cursor: only the pages asked for are ever fetched. */
export function useRunHistory(filters: RunFilters) {
  return useInfiniteQuery({
    queryKey: keys.runList({ ...filters, limit: filters.limit ?? 50 }),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<RunPage>(`/api/runs${query({ ...filters, limit: filters.limit ?? 50, before: pageParam })}`),
    getNextPageParam: (page) => page.next,
  });
}

export function useRun(id: string) {
  return useQuery({ queryKey: keys.run(id), queryFn: () => api.get<RunSummary>(`/api/runs/${id}`) });
}

/**
 * A page of records (a run's or a dataset version's) at `path` (with its query string), under
 * `queryKey`; the previous page stays shown while the next loads.
 */
export function useRecordPage<T extends RecordPage | DatasetRecordPage>(
  queryKey: readonly unknown[],
  path: string,
) {
  return useQuery({
    queryKey,
    queryFn: () => api.get<T>(path),
    placeholderData: (previous) => previous,
    retry: false,
  });
}

/** The kinds the run page's screenshot gallery shows (actions carry a screenshot when recorded). */
export const GALLERY_KINDS: CaptureKind[] = ["action", "screenshot"];

/** Pages of captures read one after another: a replay is at most this many. */
const MAX_CAPTURE_PAGES = 50;

/** Every capture of a run (of `kinds`, all when empty), in the order the server keeps them. */
export function useCaptures(id: string, kinds: CaptureKind[] = []) {
  return useQuery({
    queryKey: keys.captureList(id, kinds),
    queryFn: async () => {
      const captures: Capture[] = [];
      let after: number | null = null;
      let counts: CapturePage["counts"] | undefined;
      for (let i = 0; i < MAX_CAPTURE_PAGES; i++) {
        const page: CapturePage = await api.get<CapturePage>(
          `/api/runs/${id}/captures${query({ kinds: kinds.join(","), after, limit: 1000 })}`,
        );
        captures.push(...page.captures);
        counts = page.counts;
        after = page.next;
        if (after === null) break;
      }
      return { captures, counts: counts!, truncated: after !== null };
    },
  });
}

/** How many captures of each kind a run has. */
export function useCaptureCounts(id: string) {
  return useQuery({
    queryKey: keys.captureCounts(id),
    queryFn: async () => (await api.get<CapturePage>(`/api/runs/${id}/captures?limit=1`)).counts,
  });
}

/** The recorded page a record (its position, as /records numbers it) or a URL came from. */
export function useCaptureSource(id: string, record: number | null, url: string | null) {
  return useQuery({
    queryKey: keys.captureSource(id, record, url),
    queryFn: () => api.get<CaptureSource>(`/api/runs/${id}/source${query({ record, url })}`),
    enabled: record !== null || url !== null,
    retry: false,
  });
}

export function useChanges(id: string) {
  return useQuery({
    queryKey: keys.changes(id),
    queryFn: () => api.get<RunChanges>(`/api/runs/${id}/changes`),
    retry: false,
  });
}

export function useComparison(a: string, b: string) {
  return useQuery({
    queryKey: keys.compare(a, b),
    queryFn: () => api.get<Comparison>(`/api/compare${query({ a, b })}`),
    enabled: a !== "" && b !== "",
    retry: false,
  });
}

export function useSchedules() {
  return useQuery({
    queryKey: keys.schedules,
    queryFn: () => api.get<ScheduleList>("/api/schedules"),
  });
}

export function useSchedule(id: string) {
  return useQuery({
    queryKey: keys.schedule(id),
    queryFn: () => api.get<ScheduleDetail>(`/api/schedules/${id}`),
  });
}

/** A schedule's latest occurrences (refreshed by the schedule.* events, as all of keys.schedules). */
export function useScheduleHistory(id: string, limit = 10) {
  return useQuery({
    queryKey: [...keys.schedule(id), "history", limit] as const,
    queryFn: () => api.get<ScheduleHistory>(`/api/schedules/${id}/history${query({ limit })}`),
  });
}

export function useScheduler() {
  return useQuery({ queryKey: keys.scheduler, queryFn: () => api.get<SchedulerStatus>("/api/scheduler") });
}

export function useScrapers() {
  return useQuery({
    queryKey: keys.scrapers,
    queryFn: () => api.get<ScraperList>("/api/scrapers"),
    retry: false,
  });
}

export function useSessions() {
  return useQuery({
    queryKey: keys.sessions,
    queryFn: () => api.get<SessionList>("/api/sessions"),
  });
}

export function useSecrets() {
  return useQuery({
    queryKey: keys.secrets,
    queryFn: () => api.get<SecretList>("/api/secrets"),
  });
}

export function useDefinition(file: string) {
  return useQuery({
    queryKey: keys.definition(file),
    queryFn: () => api.get<ScraperDefinition>(`/api/scrapers/definition${query({ file })}`),
    enabled: file !== "",
    retry: false,
  });
}

export function useDatasets() {
  return useQuery({
    queryKey: keys.datasets,
    queryFn: () => api.get<DatasetList>("/api/datasets"),
    retry: false,
  });
}

/**
 * The processes executing runs (GET /api/workers), kept live by `fleet.updated` events (the
 * server reads the fleet every second: other machines report to the database).
 */
export function useWorkers() {
  return useQuery({ queryKey: keys.workers, queryFn: () => api.get<Fleet>("/api/workers") });
}
