/** Errors of the demo site. */
import { defineErrors, TrawlError, UsageError, type TrawlErrorOptions } from "../core/index.ts";

/** Every code the demo site raises, with its message shape, kind and HTTP status. */
export const DEMO_ERRORS = defineErrors({
  TRAWL_ERR_DEMO_OPTIONS: { kind: "usage", message: "invalid demo site option {option}: {problem}" },
  TRAWL_ERR_DEMO_LISTEN: { kind: "failed", message: "demo site cannot listen on {host}:{port}: {problem}" },
});

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
