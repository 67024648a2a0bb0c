/**
 * Auto-wait: a browser page is read once what its page type reads is there, as Playwright's
 * locators wait for their element. Pages that build their markup by script after `load` (data
 * fetched, then rendered) are read rendered, without a `wait_for` on every page type.
 *
 * A page is ready when every ready check passes (see `readyChecks`: each CSS field has text, each
 * follow rule has a link, `records.each` has elements): then it is read at once, so a page that
 * is complete at `load` costs one look. Otherwise it is read once it has been quiet (no element
 * or text added or changed, no fetch/XHR in flight) for {@link PARTIAL_SETTLE_MS} when some
 * checks pass (the rest may be optional: a last page has no "next" link) or {@link SETTLE_MS}
 * when none does, or when the request's deadline is near. It never fails a page: what is there
 * then is read, and selector health reports what matched.
 */
import type { Page, Request } from "playwright-core";
import type { ReadyCheck } from "../settings.ts";

/** Quiet time before reading a page on which none of the checks passes (or that has none). */
export const SETTLE_MS = 500;
/** Quiet time before reading a page on which some checks pass and others not (yet). */
export const PARTIAL_SETTLE_MS = 200;
/** How often the page is looked at while waiting. */
const POLL_MS = 50;
/** A fetch/XHR older than this no longer counts as activity (long polling, streams). */
const NETWORK_HOLD_MS = 5_000;
/** Time left for reading the page when the wait gives up at the deadline. */
const READ_MARGIN_MS = 1_000;

/** Why the wait ended. */
export type AutoWaitOutcome = "ready" | "settled" | "deadline";

/**
 * The look at the page, as JavaScript source (functions passed to `page.evaluate` would carry
 * the build's helper calls). On its first call in a document it starts a MutationObserver of
 * elements and text (attributes are left out: a spinner or an animation driven by script
 * changes them all the time without adding content). Returns the checks that pass, the checks
 * the browser could evaluate (a selector only cheerio knows, such as `:contains()`, is left
 * out) and the milliseconds since the last change.
 */
const LOOK = `(checks) => {
  const key = Symbol.for("trawl.changedAt");
  if (window[key] === undefined) {
    window[key] = performance.now();
    new MutationObserver(() => { window[key] = performance.now(); })
      .observe(document, { childList: true, subtree: true, characterData: true });
  }
  const passes = (check, el) => {
    if (check.want === "element") return true;
    if (check.want === "text") return (el.textContent || "").trim() !== "";
    const value = el.getAttribute(check.attr);
    if (value === null) return false;
    if (check.want === "attr") return true;
    if (value.trim() === "") return false;
    if (check.pattern === undefined) return true;
    try { return new RegExp(check.pattern).test(new URL(value, document.baseURI).href); } catch { return false; }
  };
  let passed = 0, known = 0;
  for (const check of checks) {
    try {
      const scopes = check.within === undefined ? [document] : Array.from(document.querySelectorAll(check.within));
      const found = scopes.some((scope) => Array.from(scope.querySelectorAll(check.css)).some((el) => passes(check, el)));
      known++;
      if (found) passed++;
    } catch {}
  }
  return { passed, known, quietMs: performance.now() - window[key] };
}`;

interface Look {
  passed: number;
  known: number;
  quietMs: number;
}

const CHANGING: Look = { passed: 0, known: 0, quietMs: 0 };

/** Fetch and XHR requests of a page in flight, and when the last one ended. */
export class NetworkActivity {
  private readonly inFlight = new Map<Request, number>();
  private endedAt = 0;
  private readonly started = (request: Request) => {
    const type = request.resourceType();
    if (type === "fetch" || type === "xhr") this.inFlight.set(request, Date.now());
  };
  private readonly ended = (request: Request) => {
    if (this.inFlight.delete(request)) this.endedAt = Date.now();
  };

  /** Starts listening: before the navigation, to see the requests the page makes while loading. */
  constructor(private readonly page: Page) {
    page.on("request", this.started);
    page.on("requestfinished", this.ended);
    page.on("requestfailed", this.ended);
  }

  /** Milliseconds without a fetch/XHR in flight; 0 while one is (for at most NETWORK_HOLD_MS). */
  quietMs(now: number): number {
    for (const startedAt of this.inFlight.values()) if (now - startedAt < NETWORK_HOLD_MS) return 0;
    return now - this.endedAt;
  }

  stop(): void {
    this.page.off("request", this.started);
    this.page.off("requestfinished", this.ended);
    this.page.off("requestfailed", this.ended);
  }
}

/**
 * One look at the page; undefined when it did not answer within `withinMs` (a script hogging the
 * page's thread: reading it then times out with the request's deadline).
 */
async function lookAt(page: Page, look: string, withinMs: number): Promise<Look | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const answer = page.evaluate(look).then(
    (value) => value as Look,
    (error: unknown) => {
      // A navigation by script replaced the document: its successor is still loading.
      if (page.isClosed()) throw error;
      return CHANGING;
    },
  );
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(1, withinMs));
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until `page` is ready to be read (see the module's comment), at most until `remaining()`
 * falls to a second (or a quarter of what was left when it started, on a short deadline).
 */
export async function autoWait(
  page: Page,
  checks: readonly ReadyCheck[],
  network: NetworkActivity,
  remaining: () => number,
): Promise<AutoWaitOutcome> {
  const look = `(${LOOK})(${JSON.stringify(checks)})`;
  const margin = Math.min(READ_MARGIN_MS, remaining() / 4);
  for (;;) {
    const seen = await lookAt(page, look, remaining() - margin);
    if (!seen) return "deadline";
    if (seen.known > 0 && seen.passed === seen.known) return "ready";
    const settle = seen.passed > 0 ? PARTIAL_SETTLE_MS : SETTLE_MS;
    const quiet = Math.min(seen.quietMs, network.quietMs(Date.now()));
    if (quiet >= settle) return "settled";
    const left = remaining() - margin;
    if (left <= 0) return "deadline";
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, settle - quiet, left)));
  }
}
