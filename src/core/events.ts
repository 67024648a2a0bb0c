/**
 * Every change trawl makes is announced as one of these typed events (past-tense names).
 * The CLI, the server's event stream and tests subscribe; nobody polls.
 */

import type { HealthSample } from "./contract/health.ts";
import type { Fleet } from "./contract/workers.ts";
import type { LogLevel } from "./contract/logs.ts";
import type { Progress, RunStatus, RunSummary, TargetProgress } from "./contract/runs.ts";

export type { Progress, RunStatus, TargetProgress } from "./contract/runs.ts";

export type TrawlEvent =
  | { type: "run.queued"; runId: string; scraper: string }
  | { type: "run.started"; runId: string; resumed: boolean }
  | { type: "run.paused"; runId: string; reason: "user" | "breakpoint" | "stopped"; step?: string }
  | { type: "run.resumed"; runId: string }
  | { type: "run.finished"; runId: string; status: RunStatus; error?: string }
  | { type: "step.started"; runId: string; step: string; index: number }
  | { type: "step.finished"; runId: string; step: string; index: number; records: number }
  | {
      type: "request.finished";
      runId: string;
      url: string;
      target: string;
      status: number;
      records: number;
      links: number;
    }
  | { type: "request.failed"; runId: string; url: string; target: string; reason: string; message: string }
  /**
   * One fetch attempt, retries included (the metrics count them): its host, HTTP status or reason
   * code, body bytes, and whether it was a retry. Never streamed: far too many.
   */
  | {
      type: "request.attempted";
      runId: string;
      host: string;
      status?: number;
      reason?: string;
      bytes: number;
      /** From the request leaving to the end of its answer (or its failure). */
      latencyMs: number;
      retry: boolean;
    }
  | { type: "progress.updated"; runId: string; overall: Progress; targets: TargetProgress[] }
  | { type: "log.written"; runId: string; level: LogLevel; message: string; at: number }
  /**
   * A run's whole summary after it changed (status, steps, targets, counts, stats), read at once
   * so that every figure agrees: published by the server, for runs of this process and of others.
   */
  | { type: "run.updated"; runId: string; summary: RunSummary }
  | { type: "schedule.fired"; scheduleId: string; dueAt: number; runId: string }
  | { type: "schedule.skipped"; scheduleId: string; dueAt: number; reason: string }
  | { type: "schedule.finished"; scheduleId: string; dueAt: number; runId: string | null; status: string }
  /** The server stored a health sample (every 10 s; see GET /api/health/samples). */
  | { type: "health.sampled"; sample: HealthSample }
  /** The fleet (`GET /api/workers`) changed: a process joined, left, went stale, or its runs or pace changed. */
  | { type: "fleet.updated"; fleet: Fleet };

/** The level of a log line: `debug`, `info`, `warn`, `error`. */
export type { LogLevel } from "./contract/logs.ts";

/** Every event type, as `satisfies` checks: the event stream's subscribers list them from here. */
export const EVENT_TYPES = [
  "run.queued",
  "run.started",
  "run.paused",
  "run.resumed",
  "run.finished",
  "run.updated",
  "step.started",
  "step.finished",
  "request.finished",
  "request.failed",
  "request.attempted",
  "progress.updated",
  "log.written",
  "schedule.fired",
  "schedule.skipped",
  "schedule.finished",
  "health.sampled",
  "fleet.updated",
] as const satisfies readonly TrawlEvent["type"][];

/**
 * The events the server's stream carries: all but the per-request ones, far too many for it
 * (progress and summary events sum them up).
 */
export const STREAMED_EVENT_TYPES: readonly TrawlEventType[] = EVENT_TYPES.filter(
  (type) => type !== "request.finished" && type !== "request.failed" && type !== "request.attempted",
);

// Fails to compile when a type of the union is missing from EVENT_TYPES.
type Missing = Exclude<TrawlEvent["type"], (typeof EVENT_TYPES)[number]>;
const _everyType: [Missing] extends [never] ? true : Missing = true;
void _everyType;

export type TrawlEventType = TrawlEvent["type"];
export type EventOf<T extends TrawlEventType> = Extract<TrawlEvent, { type: T }>;

/** A synchronous typed event bus; a throwing listener never breaks the emitter. */
export class EventBus {
  private listeners = new Set<(event: TrawlEvent) => void>();

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (event: TrawlEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: TrawlEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not stop a run.
      }
    }
  }
}
