/**
 * Reads of the process logs and crash reports (GET /api/logs, /api/crashes). The process logs are
 * files, not events: a followed view polls them (every 2 s), nothing else does.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, query } from "../../api/client.ts";
import type { CrashList, CrashReport, ProcessLogLevel, ProcessLogPage } from "../../api/types.ts";

/** What the viewer asks for; blank fields are left out. */
export interface ProcessLogFilters {
  level: ProcessLogLevel | "";
  component: string;
  run: string;
  q: string;
}

/** How often a followed view reads the logs again. */
export const FOLLOW_MS = 2000;

/** The newest 500 lines matching `filters`, re-read every {@link FOLLOW_MS} while `follow`. */
export function useProcessLogs(filters: ProcessLogFilters, follow: boolean) {
  return useQuery({
    queryKey: ["process-logs", filters],
    queryFn: () => api.get<ProcessLogPage>(`/api/logs${query({ ...filters, limit: 500 })}`),
    refetchInterval: follow ? FOLLOW_MS : false,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

/** The newest crash reports, in short. */
export function useCrashes() {
  return useQuery({ queryKey: ["crashes"], queryFn: () => api.get<CrashList>("/api/crashes"), staleTime: 0 });
}

/** One whole crash report, once asked for (`id` null: none). */
export function useCrashReport(id: string | null) {
  return useQuery({
    queryKey: ["crashes", id],
    queryFn: () => api.get<CrashReport>(`/api/crashes/${encodeURIComponent(id!)}`),
    enabled: id !== null,
  });
}
