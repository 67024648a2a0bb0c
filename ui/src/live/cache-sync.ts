/**
 * Turns the event stream into react-query cache updates: a run's summary (`run.updated`, one
 * consistent reading of status, steps, targets, counts and stats) is written straight into the
 * cache; everything else marks the affected queries stale so that the visible ones refetch once.
 * Bursts (many events per second) are coalesced, so a busy run costs a few requests, not hundreds.
 */
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { GALLERY_KINDS, keys } from "../api/queries.ts";
import type { RunSummary } from "../api/types.ts";
import { staleActivity } from "./activity.ts";
import { subscribe, type StreamMessage } from "./events.ts";

/** Lifecycle changes are shown quickly, but a burst of them triggers one refetch. */
const COALESCE_MS = 250;
/** While a run makes progress, its records and screenshots are refreshed at most this often. */
const CONTENT_REFRESH_MS = 2000;

/** Marks a query stale after `delay` ms; a burst of calls for one key marks it once. */
type InvalidateSoon = (key: QueryKey, delay?: number) => void;

/** Keeps `client`'s cache in step with the event stream; returns the function that stops it. */
export function syncCacheWithEvents(client: QueryClient): () => void {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  const invalidateSoon: InvalidateSoon = (key, delay = COALESCE_MS) => {
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

  const unsubscribe = subscribe((message) => handleEvent(message, client, invalidateSoon));
  return () => {
    unsubscribe();
    pending.forEach((timer) => clearTimeout(timer));
  };
}

/** Events that come with a new audit entry (a run started, paused, resumed, stopped, cancelled). */
const AUDITED = new Set(["run.queued", "run.paused", "run.resumed", "run.finished"]);

/** What one event changes in the cache. */
function handleEvent(message: StreamMessage, client: QueryClient, invalidateSoon: InvalidateSoon): void {
  for (const key of staleActivity(message)) invalidateSoon(key);
  // Every filter and page of the Audit page (keys.audit(filters) starts with "audit").
  if (AUDITED.has(message.type)) invalidateSoon(["audit"]);
  switch (message.type) {
    case "reset":
      void client.invalidateQueries();
      break;
    case "run.updated":
      putSummary(message.summary, client, invalidateSoon);
      break;
    case "fleet.updated":
      client.setQueryData(keys.workers, message.fleet);
      break;
    case "run.queued":
    case "run.started":
    case "run.resumed":
    case "run.paused":
    case "run.finished":
      if (message.type === "run.paused") invalidateSoon(keys.changes(message.runId));
      if (message.type === "run.finished") {
        invalidateSoon(keys.changes(message.runId));
        invalidateSoon(keys.captures(message.runId));
        invalidateSoon(keys.datasets);
      }
      runChanged(message.runId, invalidateSoon);
      break;
    case "step.finished":
      invalidateSoon(["records", message.runId]);
      invalidateSoon(keys.captures(message.runId));
      break;
    case "schedule.fired":
    case "schedule.skipped":
    case "schedule.finished":
      invalidateSoon(keys.schedules);
      invalidateSoon(keys.scheduler);
      break;
    default:
      // Progress and steps arrive in summaries; the log viewer appends live lines itself.
      break;
  }
}

/** A new summary: shown at once; what it implies (more records, a new status) refreshed soon. */
function putSummary(summary: RunSummary, client: QueryClient, invalidateSoon: InvalidateSoon): void {
  const before = client.getQueryData<RunSummary>(keys.run(summary.id));
  client.setQueryData<RunSummary>(keys.run(summary.id), summary);
  client.setQueryData<RunSummary[]>(keys.activeRuns, (runs) =>
    runs?.map((run) => (run.id === summary.id ? summary : run)),
  );
  if (before?.status !== summary.status) invalidateSoon(keys.runs);
  if (before?.records !== summary.records) {
    const live = summary.status === "running";
    invalidateSoon(["records", summary.id], live ? CONTENT_REFRESH_MS : COALESCE_MS);
  }
  if (summary.recorded) {
    // The screenshots and counts are small; the replay's full list waits for the step's end.
    invalidateSoon(keys.captureCounts(summary.id), CONTENT_REFRESH_MS);
    invalidateSoon(keys.captureList(summary.id, GALLERY_KINDS), CONTENT_REFRESH_MS);
  }
}

function runChanged(runId: string, invalidateSoon: InvalidateSoon): void {
  invalidateSoon(keys.run(runId));
  invalidateSoon(keys.runs);
  invalidateSoon(keys.health);
}
