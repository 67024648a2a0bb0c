/** The browser side of the fetcher, loaded only when a request first asks for a browser. */
import type { BrowserPool } from "./browser/browser-pool.ts";
import { fetchError } from "./errors.ts";
import type { FetcherSettings, HttpFetcherOptions } from "./fetcher-options.ts";

/**
 * The browser engine, loaded at the first browser page: playwright-core alone costs about 90 MB
 * of memory, which a crawl over HTTP should not pay.
 */
export function browserEngine() {
  return import("./browser/engine.ts");
}

/** The fetcher's browser pool, started at the first browser page and shared by the later ones. */
export class LazyBrowserPool {
  private pool: Promise<BrowserPool> | undefined;

  constructor(
    private readonly options: HttpFetcherOptions,
    private readonly settings: FetcherSettings,
  ) {}

  /** The pool; throws `TRAWL_ERR_FETCH_NO_BROWSER` when the fetcher has no browser engine. */
  get(): Promise<BrowserPool> {
    const browser = this.options.browser;
    if (!browser) {
      throw fetchError("TRAWL_ERR_FETCH_NO_BROWSER");
    }
    return (this.pool ??= browserEngine().then(
      ({ BrowserPool }) =>
        new BrowserPool(browser, this.settings.userAgent, {
          sessionFile: this.options.sessionFile,
          capture: this.options.capture,
          timeoutMs: this.settings.timeoutMs,
          log: (level, message) => this.options.log?.(level, message),
        }),
    ));
  }

  /** Closes the pool if it was started (one that failed to start has nothing to close). */
  async close(): Promise<void> {
    await this.pool?.then(
      (p) => p.close(),
      () => undefined,
    );
  }
}
