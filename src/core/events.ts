/**
 * Every change trawl makes is announced as one of these typed events (past-tense names).
 * The CLI, the server's event stream and tests subscribe; nobody polls.
 */

/** The lifecycle states of a run. `interrupted` is what a crash leaves behind: resumable. */
export type RunStatus =
  "queued" | "running" | "paused" | "succeeded" | "failed" | "cancelled" | "interrupted";

/** Counters of one target (or of the whole run). */
export interface Progress {
  /** Requests finished (successfully or not). */
  pagesDone: number;
  /** Requests known: done, pending and in flight. */
  pagesKnown: number;
  records: number;
  errors: number;
}

/** Progress of one target, as listed in `targets:` of a definition. */
export interface TargetProgress extends Progress {
  name: string;
  status: "pending" | "running" | "done" | "failed";
}

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
  | { type: "progress.updated"; runId: string; overall: Progress; targets: TargetProgress[] }
  | { type: "log.written"; runId: string; level: LogLevel; message: string; at: number }
  /** A run changed in another process (the CLI, a scheduler daemon), as a watcher saw it. */
  | { type: "run.changed"; runId: string; status: RunStatus; overall: Progress }
  | { type: "schedule.fired"; scheduleId: string; dueAt: number; runId: string }
  | { type: "schedule.skipped"; scheduleId: string; dueAt: number; reason: string }
  | { type: "schedule.finished"; scheduleId: string; dueAt: number; runId: string | null; status: string };

export type LogLevel = "debug" | "info" | "warn" | "error";

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
