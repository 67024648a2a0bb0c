/**
 * A short memory of what happened since the app was opened: finished runs and schedule events
 * (dashboard "recent activity") and errors (health page). Filled from the event stream.
 */
import { useSyncExternalStore } from "react";
import type { StreamMessage } from "./events.ts";

export interface ActivityItem {
  key: number;
  at: number;
  kind: "run" | "schedule" | "error";
  tone: "ok" | "bad" | "warn" | "info";
  text: string;
  runId?: string;
  scheduleId?: string;
}

const LIMIT = 100;
let nextKey = 1;
let activity: ActivityItem[] = [];
let errors: ActivityItem[] = [];
const changeListeners = new Set<() => void>();

function push(list: ActivityItem[], item: Omit<ActivityItem, "key" | "at">, at = Date.now()): ActivityItem[] {
  return [{ ...item, key: nextKey++, at }, ...list].slice(0, LIMIT);
}

function instant(value: number | string): number {
  return typeof value === "number" ? value : Date.parse(value);
}

/** Keeps the interesting events and tells the components showing them. */
export function recordActivity(message: StreamMessage): void {
  const before = [activity, errors];
  switch (message.type) {
    case "run.finished": {
      const tone = message.status === "succeeded" ? "ok" : message.status === "failed" ? "bad" : "warn";
      activity = push(activity, {
        kind: "run",
        tone,
        text: `Run ${message.status}${message.error ? `: ${message.error}` : ""}`,
        runId: message.runId,
      });
      if (message.status === "failed") {
        errors = push(errors, {
          kind: "error",
          tone: "bad",
          text: `Run failed${message.error ? `: ${message.error}` : ""}`,
          runId: message.runId,
        });
      }
      break;
    }
    case "schedule.fired":
      activity = push(
        activity,
        {
          kind: "schedule",
          tone: "info",
          text: "Schedule fired",
          scheduleId: message.scheduleId,
          runId: message.runId,
        },
        instant(message.dueAt),
      );
      break;
    case "schedule.skipped":
      activity = push(
        activity,
        {
          kind: "schedule",
          tone: "warn",
          text: `Schedule skipped: ${message.reason}`,
          scheduleId: message.scheduleId,
        },
        instant(message.dueAt),
      );
      break;
    case "log.written":
      if (message.level === "error") {
        errors = push(
          errors,
          { kind: "error", tone: "bad", text: message.message, runId: message.runId },
          instant(message.at),
        );
      }
      break;
    default:
      break;
  }
  if (before[0] !== activity || before[1] !== errors) changeListeners.forEach((listener) => listener());
}

function useStore<T>(read: () => T): T {
  return useSyncExternalStore((onChange) => {
    changeListeners.add(onChange);
    return () => changeListeners.delete(onChange);
  }, read);
}

export const useActivity = () => useStore(() => activity);
export const useRecentErrors = () => useStore(() => errors);
