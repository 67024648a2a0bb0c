/** The observe layer's errors. Codes are `TRAWL_ERR_OBSERVE_<WHAT>`. */
import { defineErrors, errorFactory } from "../core/index.ts";

/** Every code the observe layer raises, with its message shape and kind. */
export const OBSERVE_ERRORS = defineErrors({
  TRAWL_ERR_OBSERVE_LISTEN: {
    kind: "failed",
    message: "the metrics endpoint cannot listen on {host}:{port}: {problem}",
  },
  TRAWL_ERR_OBSERVE_CRASH_NOT_FOUND: {
    kind: "not_found",
    message: "no crash report has the id {id}",
  },
  TRAWL_ERR_OBSERVE_BUNDLE: {
    kind: "failed",
    message: "the diagnostics bundle could not be written: {problem}",
  },
});

/** Makes an error of {@link OBSERVE_ERRORS}. */
export const observeError = errorFactory(OBSERVE_ERRORS);
