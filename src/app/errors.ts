/** The app facade's error catalogue: what it refuses on behalf of the CLI and the server. */
import { defineErrors, errorFactory } from "../core/index.ts";

/** Every code the app raises, with its message shape, kind and HTTP status. */
export const APP_ERRORS = defineErrors({
  TRAWL_ERR_APP_NO_DEFINITION: {
    kind: "usage",
    message: "run {runId} has no definition file on record; give one with --scraper FILE",
  },
  TRAWL_ERR_APP_WORKER_NEEDS_SHARED_DATABASE: {
    kind: "usage",
    message:
      "trawl worker needs the PostgreSQL database the other machines use (--database URL or TRAWL_DATABASE_URL); this one is the SQLite file of {home}",
  },
  TRAWL_ERR_APP_START_DATASET: {
    kind: "usage",
    message: "start dataset {dataset}: {problem}",
  },
});

/** Makes an error of {@link APP_ERRORS}. */
export const appError = errorFactory(APP_ERRORS);
