/** Counters and histograms fed by the engine's and the scheduler's events (src/core/events.ts). */
import { Counter, Histogram, type Registry } from "prom-client";
import type { TrawlEvent } from "../core/index.ts";

/**
 * A label value from a code (a reason code, a run status): the code itself when it looks like
 * one (lower case, digits, `_`, at most 40), `none` when there is none, else `other`: a label
 * never carries a URL or a sentence.
 */
export function slug(code: string | undefined): string {
  if (code === undefined || code === "") return "none";
  return /^[a-z0-9_]{1,40}$/.test(code) ? code : "other";
}

/** The scheduler's skip reasons (sentences with ids and user text in them), as the four kinds there are. */
const SKIP_KINDS: readonly [RegExp, string][] = [
  [/^coalesced/, "coalesced"],
  [/^missed/, "missed"],
  [/overlap/, "overlap"],
  [/paused/, "paused"],
];

/** `coalesced`, `missed`, `overlap` or `paused` for a skip's reason; `other` for anything else. */
export function skipKind(reason: string): string {
  return SKIP_KINDS.find(([pattern]) => pattern.test(reason))?.[1] ?? "other";
}

/** `2xx` … `5xx` for an HTTP status, `none` without one (the request never got an answer). */
export function statusClass(status: number | undefined): string {
  return status === undefined || status < 100 || status > 599 ? "none" : `${Math.floor(status / 100)}xx`;
}

/** The metrics of events: every series is labelled by a bounded vocabulary, never by URL or host. */
export class EventMetrics {
  private readonly attempts: Counter<"status_class" | "reason">;
  private readonly bytes: Counter;
  private readonly retries: Counter;
  private readonly throttled: Counter<"status">;
  private readonly pages: Counter<"outcome">;
  private readonly records: Counter;
  private readonly runChanges: Counter<"change">;
  private readonly fires: Counter;
  private readonly skips: Counter<"reason">;
  private readonly lateness: Histogram;

  constructor(
    registry: Registry,
    private readonly now: () => number,
  ) {
    const registers = [registry];
    this.attempts = new Counter({
      name: "trawl_requests_total",
      help: "Fetch attempts (retries included) by HTTP status class and reason code",
      labelNames: ["status_class", "reason"],
      registers,
    });
    this.bytes = new Counter({ name: "trawl_response_bytes_total", help: "Body bytes fetched", registers });
    this.retries = new Counter({
      name: "trawl_retries_total",
      help: "Fetch attempts that were retries",
      registers,
    });
    this.throttled = new Counter({
      name: "trawl_throttled_responses_total",
      help: "Responses that slow the host's rate limiter down (429, 503)",
      labelNames: ["status"],
      registers,
    });
    this.pages = new Counter({
      name: "trawl_pages_total",
      help: "Requests the crawl finished (done) or gave up (failed)",
      labelNames: ["outcome"],
      registers,
    });
    this.records = new Counter({
      name: "trawl_records_total",
      help: "Records extracted by the crawl",
      registers,
    });
    this.runChanges = new Counter({
      name: "trawl_run_changes_total",
      help: "Run state changes: queued, started, resumed, paused, or the status a run finished with",
      labelNames: ["change"],
      registers,
    });
    this.fires = new Counter({
      name: "trawl_scheduler_fires_total",
      help: "Occurrences the scheduler started a run for",
      registers,
    });
    this.skips = new Counter({
      name: "trawl_scheduler_skips_total",
      help: "Occurrences the scheduler skipped, by reason (coalesced, missed, overlap, paused, other)",
      labelNames: ["reason"],
      registers,
    });
    this.lateness = new Histogram({
      name: "trawl_scheduler_lateness_seconds",
      help: "How long after its due time an occurrence fired",
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600],
      registers,
    });
  }

  /** Counts one event; events without a metric are ignored. */
  observe(event: TrawlEvent): void {
    switch (event.type) {
      case "request.attempted":
        return this.attempted(event);
      case "request.finished":
        this.pages.inc({ outcome: "done" });
        return this.records.inc(event.records);
      case "request.failed":
        return this.pages.inc({ outcome: "failed" });
      case "run.queued":
      case "run.started":
      case "run.resumed":
      case "run.paused":
        return this.runChanges.inc({ change: event.type.slice("run.".length) });
      case "run.finished":
        return this.runChanges.inc({ change: slug(event.status) });
      case "schedule.fired":
        this.fires.inc();
        return this.lateness.observe(Math.max(0, (this.now() - event.dueAt) / 1000));
      case "schedule.skipped":
        return this.skips.inc({ reason: skipKind(event.reason) });
      default:
        return;
    }
  }

  private attempted(event: Extract<TrawlEvent, { type: "request.attempted" }>): void {
    this.attempts.inc({ status_class: statusClass(event.status), reason: slug(event.reason) });
    this.bytes.inc(event.bytes);
    if (event.retry) this.retries.inc();
    if (event.status === 429 || event.status === 503) this.throttled.inc({ status: String(event.status) });
  }
}
