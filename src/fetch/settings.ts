/**
 * How a scraper fetches, as its definition compiles it: politeness (pace, retries, limits of a
 * response) and the browser engine (how a page loads, the actions done on it, the login). The
 * pipeline builds these from a definition; the fetch layer obeys them.
 */

/**
 * Something a browser page must contain before auto-wait lets it be read: an element matching
 * `css` (inside a `within` element when set) that is there (`element`), has text (`text`), has
 * the attribute `attr` (`attr`), or holds in `attr` a URL matching `pattern` (`link`).
 */
export interface ReadyCheck {
  css: string;
  want: "element" | "text" | "attr" | "link";
  within?: string;
  attr?: string;
  pattern?: string;
}

/** How a browser page loads before it is read. */
export interface BrowserLoad {
  /** Wait until this selector is in the page. */
  waitFor?: string;
  waitUntil: "load" | "networkidle";
  /** Done in order after the page loaded, before it is read. */
  actions: PageAction[];
  /**
   * Set when the page type has no `wait_for`: before reading, wait until every check passes or
   * the page has been quiet for a moment (see `autoWait`). No checks: only the quiet moment.
   */
  autoWait?: { checks: ReadyCheck[] };
}

/**
 * A browser action. `value`s may hold `{{ env.NAME }}`, resolved when the action runs (see
 * `resolveTemplate`); descriptions, logs and recordings keep the template.
 */
export type PageAction =
  | { type: "click"; selector: string }
  | { type: "fill"; selector: string; value: string }
  | { type: "select"; selector: string; value: string }
  | { type: "press"; key: string; selector?: string }
  /** Scrolls to the bottom up to `times` times; with `untilStable`, stops once the page stops growing. */
  | { type: "scroll"; times: number; untilStable: boolean; waitMs: number }
  | { type: "wait"; selector?: string; ms?: number }
  | { type: "evaluate"; script: string };

/** A login sequence, run once per browser session (see `BrowserSettings.login`). */
export interface LoginSequence {
  url: string;
  actions: PageAction[];
  /** Present only when logged in: a saved session that shows it is reused without logging in. */
  loggedIn?: string;
}

/** Resources a browser page does not load. */
export type BlockedResource = "image" | "font" | "media" | "stylesheet";

/** The browser engine of a scraper. */
export interface BrowserSettings {
  /** Pages open at once. @defaultValue 4 */
  maxPages: number;
  /** A browser context serves this many pages, then a fresh one takes over. @defaultValue 50 */
  recycleAfter: number;
  block: BlockedResource[];
  viewport: { width: number; height: number };
  /** Logs in once per session before the first browser page. */
  login?: LoginSequence;
  /** Screenshot every browser page (`all`) or only failed ones (`failed`, the default). */
  screenshots: "failed" | "all";
  /** Capture the network responses of browser pages, for a HAR of the run. */
  har: boolean;
}

/** Politeness and fetch settings of one scraper. */
export interface Politeness {
  /** Requests in flight at once (with `autoscale`, the most). @defaultValue 8 */
  concurrency: number;
  /** `concurrency: auto`: the engine finds the concurrency between these bounds as the run goes. */
  autoscale?: { start: number; min: number; max: number };
  /** Requests per second per host (token bucket start rate). @defaultValue 10 */
  ratePerHost: number;
  minRatePerHost: number;
  maxRatePerHost: number;
  /** @defaultValue true */
  obeyRobots: boolean;
  userAgent: string;
  /** Per-request total deadline. @defaultValue 30000 */
  timeoutMs: number;
  /** @defaultValue 3 */
  retries: number;
  /** The HTTP statuses that retry (`retry_statuses`). @defaultValue `DEFAULT_RETRY_POLICY.retryStatuses` */
  retryStatuses: readonly number[];
  /** Body cap after decompression. @defaultValue 10 MiB */
  maxBodyBytes: number;
  /** @defaultValue 10 */
  maxRedirects: number;
  /** `revalidate`: pages are kept between runs and revisited with their validators (none: off). */
  cache?: "revalidate";
}
