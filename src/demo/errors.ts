/** Errors of the demo site. */
import { TrawlError, UsageError, type TrawlErrorOptions } from "../core/errors.ts";

/** `startDemoSite` was given options it cannot honour (a negative port, a fractional count…). */
export class DemoOptionsError extends UsageError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_DEMO_OPTIONS", message, options);
  }
}

/** The demo site could not listen (most often: the port is already in use). */
export class DemoListenError extends TrawlError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_DEMO_LISTEN", message, options);
  }
}
