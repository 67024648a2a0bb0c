/** What the crawl tells of each request it finished: an event, and for a failure one log line. */
import type { EventOf, LogLevel, TrawlEvent } from "../core/index.ts";
import type { AttemptInfo } from "../fetch/index.ts";
import type { QueuedRequest, RequestOutcome } from "../store/index.ts";

/** Where a report goes. */
export interface ReportSink {
  runId: string;
  emit(event: TrawlEvent): void;
  log(level: LogLevel, message: string): void;
}

/** What a finished request yielded: records, links queued, and the retries before a failure. */
export interface RequestYield {
  records: number;
  links: number;
  retried?: RetryNote | undefined;
}

/** The `request.attempted` event of one fetch attempt (the metrics count attempts, bytes, retries). */
export function attemptEvent(runId: string, attempt: AttemptInfo): EventOf<"request.attempted"> {
  return {
    type: "request.attempted",
    runId,
    host: attempt.host,
    ...(attempt.status !== undefined && { status: attempt.status }),
    ...(attempt.reason !== undefined && { reason: attempt.reason }),
    bytes: attempt.bytes,
    latencyMs: attempt.latencyMs,
    retry: attempt.attempt > 0,
  };
}

/** Emits `request.finished` or `request.failed`; a failure also gets its one warning line. */
export function reportRequest(
  sink: ReportSink,
  request: QueuedRequest,
  outcome: RequestOutcome,
  { records, links, retried }: RequestYield,
): void {
  const { runId } = sink;
  if (outcome.ok) {
    sink.emit({
      type: "request.finished",
      runId,
      url: request.url,
      target: request.target,
      status: outcome.httpStatus,
      records,
      links,
    });
    return;
  }
  sink.emit({
    type: "request.failed",
    runId,
    url: request.url,
    target: request.target,
    reason: outcome.reason,
    message: outcome.error,
  });
  sink.log("warn", failureLine(request.url, outcome, retried));
}

/** What the fetcher noted on a request it gave up: attempts made, and why no more. */
export interface RetryNote {
  attempts?: number;
  gaveUpBecause?: string;
}

export function retryNoteOf(error: unknown): RetryNote | undefined {
  const { attempts, gaveUpBecause } = error as RetryNote;
  if (typeof attempts !== "number" && typeof gaveUpBecause !== "string") return undefined;
  return {
    ...(typeof attempts === "number" && { attempts }),
    ...(typeof gaveUpBecause === "string" && { gaveUpBecause }),
  };
}

/**
 * The one line of a failed request: `URL failed after 4 attempts: http_503 (HTTP 503)`; the
 * retries before it have their own lines (from the fetcher).
 */
function failureLine(url: string, outcome: { reason: string; error: string }, retried?: RetryNote): string {
  const after = retried?.attempts ? ` after ${retried.attempts} attempts` : "";
  const because = retried?.gaveUpBecause ? `; ${retried.gaveUpBecause}` : "";
  return `${url} failed${after}: ${outcome.reason} (${failureDetail(url, outcome)}${because})`;
}

/**
 * What an error message adds to its URL and reason code: fetch errors name both
 * (`refused for URL: connect ECONNREFUSED …`), which a log line already shows.
 */
function failureDetail(url: string, { reason, error }: { reason: string; error: string }): string {
  const detail = error.replace(` for ${url}`, "");
  return detail.startsWith(`${reason}: `) ? detail.slice(reason.length + 2) : detail;
}
