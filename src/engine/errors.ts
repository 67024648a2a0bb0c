/** The engine's error catalogue: run commands, failed runs and crawl health. */
import { ConflictError, defineErrors, errorFactory, TrawlError, UsageError } from "../core/index.ts";
import type { PageTypeHealth } from "../core/contract/runs.ts";
import { describeShare } from "../pipeline/index.ts";
import { describeSelector, pagesOf } from "./selector-tally.ts";
import type { FailureGroup } from "../store/index.ts";

/**
 * Every code the engine raises, with its message shape, kind and HTTP status. A run id that names
 * no run is `TRAWL_ERR_ENGINE_RUN_NOT_FOUND`, in core's catalogue: the layers below raise it too.
 */
export const ENGINE_ERRORS = defineErrors({
  TRAWL_ERR_ENGINE_INVALID_TRANSITION: {
    kind: "conflict",
    message: "run {runId} is {from}; it cannot be {action}",
  },
  TRAWL_ERR_ENGINE_RUN_BUSY: {
    kind: "conflict",
    message: "run {runId} is being executed by another process ({owner})",
  },
  TRAWL_ERR_ENGINE_STEP_FAILED: { kind: "failed", message: "step {step} failed: {problem}" },
  TRAWL_ERR_ENGINE_STEP_MISSING: {
    kind: "failed",
    message: "the definition has no step #{index}; was it edited since the run started?",
  },
  TRAWL_ERR_ENGINE_NOTHING_FETCHED: {
    kind: "failed",
    message: "no page could be fetched: all {total} requests failed ({reasons}); the steps did not run",
  },
  TRAWL_ERR_ENGINE_TOO_MANY_FAILED: {
    kind: "failed",
    message: "{share} failed, more than max_failed allows ({allowed}): {reasons}; the steps did not run",
  },
  TRAWL_ERR_ENGINE_EMPTY_CRAWL: {
    kind: "failed",
    message: "the crawl fetched {pages} but yielded no records: {pageTypes}; the steps did not run",
  },
  TRAWL_ERR_ENGINE_UNKNOWN_PAGE_TYPE: { kind: "failed", message: "page type {pageType} is not defined" },
  TRAWL_ERR_ENGINE_UNKNOWN_STEP: {
    kind: "usage",
    message: "no step named {unknown}; the steps are: {known}",
  },
});

/** Makes an error of {@link ENGINE_ERRORS}. */
export const engineError = errorFactory(ENGINE_ERRORS);

/** A command that the run's current state does not allow (e.g. resuming a succeeded run). */
export class InvalidTransitionError extends ConflictError {
  constructor(runId: string, from: string, action: string) {
    super("TRAWL_ERR_ENGINE_INVALID_TRANSITION", `run ${runId} is ${from}; it cannot be ${action}`, {
      details: { runId, from, action },
    });
  }
}

/** Another live process executes the run. */
export class RunBusyError extends ConflictError {
  constructor(runId: string, owner: string) {
    super("TRAWL_ERR_ENGINE_RUN_BUSY", `run ${runId} is being executed by another process (${owner})`, {
      details: { runId, owner },
    });
  }
}

/** A step failed; the run fails with it. */
export class StepFailedError extends TrawlError {
  constructor(step: string, cause: unknown) {
    super(
      "TRAWL_ERR_ENGINE_STEP_FAILED",
      `step ${step} failed: ${(cause as Error)?.message ?? String(cause)}`,
      {
        cause,
        details: { step },
      },
    );
  }
}

/** `refused ×5, timeout ×1, e.g. http://…`: the reasons, most frequent first, and one URL. */
function describeFailures(failures: FailureGroup[]): string {
  const reasons = failures.map((f) => `${f.reason} ×${f.count}`).join(", ");
  return failures[0] ? `${reasons}, e.g. ${failures[0].example}` : reasons;
}

const STEPS_SKIPPED = "the steps did not run, so no dataset was published";

/**
 * Every request of a crawl failed (the site is down, the start URL is wrong): the run fails
 * before its steps, which would otherwise publish an empty dataset as the latest version.
 */
export class NothingFetchedError extends TrawlError {
  constructor(failures: FailureGroup[]) {
    const total = failures.reduce((sum, f) => sum + f.count, 0);
    super(
      "TRAWL_ERR_ENGINE_NOTHING_FETCHED",
      `no page could be fetched: all ${total} requests failed (${describeFailures(failures)}); ${STEPS_SKIPPED}`,
      { details: { failures } },
    );
  }
}

/** More requests failed than the scraper's `limits.max_failed` allows; the steps did not run. */
export class TooManyFailedError extends TrawlError {
  constructor(failures: FailureGroup[], requests: number, allowed: string) {
    const failed = failures.reduce((sum, f) => sum + f.count, 0);
    super(
      "TRAWL_ERR_ENGINE_TOO_MANY_FAILED",
      `${describeShare(failed, requests, "requests")} failed, more than max_failed allows ` +
        `(${allowed}): ${describeFailures(failures)}; ${STEPS_SKIPPED}`,
      { details: { failures, requests, allowed } },
    );
  }
}

/** `page type "list" (1 page): follow rule a.product → product found nothing`, or how it was never fetched. */
function describePageType({ pageType, pages, records, selectors }: PageTypeHealth): string {
  if (pages === 0) return `page type "${pageType}": no page fetched`;
  const counted = `${pagesOf(pages)}${records > 0 ? `, ${records} records` : ""}`;
  const missed = selectors.filter((s) => s.pages === 0).map((s) => `${describeSelector(s)} matched nothing`);
  return `page type "${pageType}" (${counted})${missed.length > 0 ? `: ${missed.join(", ")}` : ""}`;
}

/**
 * The crawl fetched pages but yielded no records (or only records none of whose fields found a
 * value): the selectors no longer match the site, or the page was read before it was rendered.
 * The run fails before its steps instead of publishing an empty dataset as the latest version,
 * unless the scraper says `allow_empty: true`.
 */
export class EmptyCrawlError extends TrawlError {
  constructor(fetched: number, hollow: boolean, pageTypes: PageTypeHealth[]) {
    const what = hollow ? "only records in which no selector found a value" : "no records";
    super(
      "TRAWL_ERR_ENGINE_EMPTY_CRAWL",
      `the crawl fetched ${pagesOf(fetched)} but yielded ${what}: ${pageTypes.map(describePageType).join("; ")}; ` +
        `${STEPS_SKIPPED} (allow_empty: true accepts an empty result)`,
      { details: { fetched, pageTypes } },
    );
  }
}

/** A breakpoint names a step the scraper does not have. */
export class UnknownStepError extends UsageError {
  constructor(unknown: string[], known: string[]) {
    super(
      "TRAWL_ERR_ENGINE_UNKNOWN_STEP",
      `no step named ${unknown.join(", ")}; the steps are: ${known.join(", ")}`,
      { details: { unknown, known } },
    );
  }
}
