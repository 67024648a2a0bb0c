/**
 * One attempt of a page in the browser, with the same contract as `fetchOnce` over HTTP: the
 * politeness hook before the navigation, a total deadline, `onHop` with every status, 2xx (or an
 * accepted status) resolves and anything else rejects with a `FetchError` and its reason code.
 */
import type { Page, Response } from "playwright-core";
import type { BrowserLoad } from "../settings.ts";
import { FetchError, httpStatusError, tooLargeError } from "../errors.ts";
import type { AttemptOptions, AttemptResult } from "../http-attempt.ts";
import { parseRetryAfter } from "../retry-after.ts";
import type { CaptureSink } from "../types.ts";
import { autoWait, NetworkActivity } from "./auto-wait.ts";
import { LoginError, proxyOfPage, type BrowserPool } from "./browser-pool.ts";
import { endsTheRun } from "../proxy-errors.ts";
import { captureNetwork } from "./capture-network.ts";
import { ActionError, runActions } from "./page-actions.ts";

/** Chromium's network errors, by the reason code the crawl core uses for the same failure over HTTP. */
const NET_ERRORS: [RegExp, FetchError["reason"]][] = [
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/, "dns"],
  [/ERR_CONNECTION_REFUSED/, "refused"],
  [/ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE/, "reset"],
  [/ERR_TOO_MANY_REDIRECTS/, "redirect_limit"],
  [/ERR_CONTENT_LENGTH_MISMATCH|ERR_INCOMPLETE_CHUNKED_ENCODING/, "truncated"],
];

/** The request headers each pooled page sends besides the browser's own (pages are reused). */
const ownHeaders = new WeakMap<Page, Record<string, string> | undefined>();

/** Makes `page` send `headers` (none: only the browser's own), telling the browser only of a change. */
async function sendOwnHeaders(page: Page, headers: Record<string, string> | undefined): Promise<void> {
  if (ownHeaders.get(page) === headers) return;
  await page.setExtraHTTPHeaders(headers ?? {});
  ownHeaders.set(page, headers);
}

export async function fetchInBrowser(
  pool: BrowserPool,
  url: string,
  load: BrowserLoad,
  options: AttemptOptions,
  capture?: CaptureSink,
): Promise<AttemptResult> {
  const politeness = options.beforeHop?.(url, options.signal);
  if (politeness) await politeness;
  options.signal?.throwIfAborted();
  const loaded = pool.withPage(async (page) => {
    const started = Date.now();
    const remaining = () => Math.max(1, options.timeoutMs - (Date.now() - started));
    // Cancel closes the page, which ends whatever it was waiting for.
    const onAbort = () => void page.close().catch(() => undefined);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const network = capture?.network ? captureNetwork(page, capture, options.secrets) : undefined;
    const activity = load.autoWait ? new NetworkActivity(page) : undefined;
    const proxy = options.viaProxy && proxyOfPage(page);
    if (proxy !== undefined) options.viaProxy!(proxy);
    try {
      await sendOwnHeaders(page, options.extraHeaders);
      const response = await page.goto(url, { waitUntil: load.waitUntil, timeout: remaining() });
      if (!response) throw new FetchError("network", `no response for ${url}`, { url });
      const status = response.status();
      const headers = response.headers();
      const retryAfterMs = parseRetryAfter(headers["retry-after"], Date.now());
      options.onHop?.(url, status, retryAfterMs);
      if ((status < 200 || status > 299) && !options.acceptStatuses?.includes(status)) {
        throw httpStatusError(status, url, retryAfterMs);
      }
      if (load.waitFor) await page.waitForSelector(load.waitFor, { state: "attached", timeout: remaining() });
      await runActions(page, load.actions, { remaining, capture, secrets: options.secretSource });
      if (load.autoWait) await autoWait(page, load.autoWait.checks, activity!, remaining);
      const body = await Promise.race([
        page.content(),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new FetchError("timeout", `deadline exceeded reading ${url}`, { url })),
            remaining(),
          ).unref(),
        ),
      ]);
      const bytes = Buffer.byteLength(body);
      if (bytes > options.maxBodyBytes) {
        throw tooLargeError(url, options.maxBodyBytes, "page");
      }
      if (capture?.screenshotAll) await screenshot(page, capture, "page");
      return {
        url,
        finalUrl: page.url(),
        status,
        headers,
        body,
        bytes,
        encoding: "utf-8",
        invalidBytes: 0,
        redirects: redirectsOf(response),
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      const failure = classify(error, url, options.signal?.aborted ?? false);
      if (capture && failure.reason !== "aborted") await screenshot(page, capture, "failed", failure.message);
      throw failure;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      activity?.stop();
      await network?.stop();
    }
  });
  // The login runs inside `withPage`, before the work: its failure needs a reason code too.
  return loaded.catch((error: unknown) => {
    if (endsTheRun(error)) throw error;
    throw classify(error, url, options.signal?.aborted ?? false);
  });
}

function redirectsOf(response: Response): number {
  let count = 0;
  for (let request = response.request().redirectedFrom(); request; request = request.redirectedFrom())
    count++;
  return count;
}

/** Keeps a screenshot of the page; a page that cannot be shot any more (closed, crashed) is skipped. */
async function screenshot(page: Page, capture: CaptureSink, reason: "failed" | "page", error?: string) {
  if (page.isClosed()) return;
  const image = await page.screenshot({ timeout: 5_000 }).catch(() => undefined);
  if (!image) return;
  await capture.add({
    kind: "screenshot",
    at: Date.now(),
    pageUrl: page.url() === "about:blank" ? "" : page.url(),
    image,
    reason,
    ...(error !== undefined && { error }),
  });
}

function classify(error: unknown, url: string, aborted: boolean): FetchError {
  if (error instanceof FetchError) return error;
  if (error instanceof ActionError) {
    return new FetchError("action", `${url}: ${error.message}`, { url, cause: error, retryable: false });
  }
  if (error instanceof LoginError) {
    return new FetchError("login", error.message, { url, cause: error, retryable: false });
  }
  if (aborted)
    return new FetchError("aborted", `request aborted: ${url}`, { url, cause: error, retryable: false });
  const message = error instanceof Error ? error.message : String(error);
  if ((error as Error)?.name === "TimeoutError") {
    return new FetchError("timeout", `deadline exceeded for ${url} (in the browser)`, { url, cause: error });
  }
  for (const [pattern, reason] of NET_ERRORS) {
    if (pattern.test(message))
      return new FetchError(reason, `${reason} for ${url}: ${message.split("\n")[0]}`, { url, cause: error });
  }
  return new FetchError("network", `the browser could not load ${url}: ${message.split("\n")[0]}`, {
    url,
    cause: error,
  });
}
