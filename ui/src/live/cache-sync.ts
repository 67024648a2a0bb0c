/**
 * Turns the event stream into react-query cache updates: progress is written straight into the
 * cache, everything else marks the affected queries stale so that the visible ones refetch once.
 * Bursts (many events per second) are coalesced, so a busy run costs a few requests, not hundreds.
 */
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { GALLERY_KINDS, keys, type LiveProgress } from "../api/queries.ts";
import type { RunSummary } from "../api/types.ts";
import { staleActivity } from "./activity.ts";
import { subscribe, type StreamMessage } from "./events.ts";

/** Lifecycle changes are shown quickly, but a burst of them triggers one refetch. */
const COALESCE_MS = 250;
/** While a run makes progress, its summary (stats, records) is refreshed at most this often. */
const PROGRESS_REFRESH_MS = 2000;

export function syncCacheWithEvents(client: QueryClient): () => void {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const lastProgressRefresh = new Map<string, number>();

  const invalidateSoon = (key: QueryKey, delay = COALESCE_MS) => {
    const id = JSON.stringify(key);
    if (pending.has(id)) return;
    pending.set(
      id,
      setTimeout(() => {
        pending.delete(id);
        void client.invalidateQueries({ queryKey: key });
      }, delay),
    );
  };

  const runChanged = (runId: string) => {
    invalidateSoon(keys.run(runId));
    invalidateSoon(keys.runs);
    invalidateSoon(keys.health);
  };

  const handle = (message: StreamMessage) => {
    for (const key of staleActivity(message)) invalidateSoon(key);
    switch (message.type) {
      case "reset":
        void client.invalidateQueries();
        break;
      case "progress.updated": {
        client.setQueryData<LiveProgress>(keys.progress(message.runId), {
          overall: message.overall,
          targets: message.targets,
        });
        const last = lastProgressRefresh.get(message.runId) ?? 0;
        if (Date.now() - last > PROGRESS_REFRESH_MS) {
          lastProgressRefresh.set(message.runId, Date.now());
          invalidateSoon(keys.run(message.runId), PROGRESS_REFRESH_MS);
          // The screenshots and counts are small; the replay's full list waits for the step's end.
          invalidateSoon(keys.captureCounts(message.runId), PROGRESS_REFRESH_MS);
          invalidateSoon(keys.captureList(message.runId, GALLERY_KINDS), PROGRESS_REFRESH_MS);
        }
        break;
      }
      case "run.changed":
        // A run of another process: no per-target progress, but the overall counters.
        client.setQueryData<LiveProgress>(keys.progress(message.runId), (previous) => ({
          overall: message.overall,
          targets: previous?.targets ?? [],
        }));
        setStatus(client, message.runId, message.status);
        runChanged(message.runId);
        break;
      case "run.queued":
      case "run.started":
      case "run.resumed":
      case "run.paused":
      case "run.finished":
        if (message.type === "run.started" || message.type === "run.resumed")
          setStatus(client, message.runId, "running");
        if (message.type === "run.paused") setStatus(client, message.runId, "paused");
        if (message.type === "run.finished") {
          setStatus(client, message.runId, message.status);
          invalidateSoon(keys.changes(message.runId));
          invalidateSoon(keys.captures(message.runId));
          invalidateSoon(keys.datasets);
        }
        runChanged(message.runId);
        break;
      case "step.started":
      case "step.finished":
        invalidateSoon(keys.run(message.runId));
        if (message.type === "step.finished") {
          invalidateSoon(["records", message.runId]);
          invalidateSoon(keys.captures(message.runId));
        }
        break;
      case "schedule.fired":
      case "schedule.skipped":
      case "schedule.finished":
        invalidateSoon(keys.schedules);
        invalidateSoon(keys.scheduler);
        break;
      case "log.written":
        // The log viewer appends live lines itself (see LogViewer).
        break;
    }
  };

  const unsubscribe = subscribe(handle);
  return () => {
    unsubscribe();
    pending.forEach((timer) => clearTimeout(timer));
  };
}

/** Shows a new status at once, before the refetch arrives. */
function setStatus(client: QueryClient, runId: string, status: RunSummary["status"]) {
  client.setQueryData<RunSummary>(keys.run(runId), (run) => (run ? { ...run, status } : run));
  client.setQueryData<RunSummary[]>(keys.activeRuns, (runs) =>
    runs?.map((run) => (run.id === runId ? { ...run, status } : run)),
  );
}
