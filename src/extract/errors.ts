/** Errors of the extract layer: a page that cannot be read as its page type's format says. */
import { defineErrors, TrawlError, type TrawlErrorOptions } from "../core/index.ts";

/** Every code the extract layer raises, with its message shape, kind and HTTP status. */
export const EXTRACT_ERRORS = defineErrors({
  TRAWL_ERR_EXTRACT_NOT_JSON: { kind: "failed", message: "the body of {url} is not JSON: {problem}" },
});

/**
 * The body of a `format: json` page is not JSON (an HTML error page, a truncated document).
 * The request fails with reason code `not_json`; the run goes on.
 */
export class NotJsonError extends TrawlError {
  /** The reason code the failed request is recorded with. */
  readonly reason = "not_json";

  constructor(url: string, problem: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_EXTRACT_NOT_JSON", `the body of ${url} is not JSON: ${problem}`, {
      ...options,
      details: { url, ...options.details },
    });
  }
}
