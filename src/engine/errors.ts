import { TrawlError, UsageError } from "../core/errors.ts";
import { describeShare } from "../pipeline/units.ts";
import type { FailureGroup } from "../store/types.ts";

/** A command that the run's current state does not allow (e.g. resuming a succeeded run). */
export class InvalidTransitionError extends UsageError {
  constructor(runId: string, from: string, action: string) {
    super("TRAWL_ERR_ENGINE_INVALID_TRANSITION", `run ${runId} is ${from}; it cannot be ${action}`, {
      details: { runId, from, action },
    });
  }
}

/** Another live process executes the run. */
export class RunBusyError extends UsageError {
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
