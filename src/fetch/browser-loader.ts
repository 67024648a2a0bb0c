/** The browser side of the fetcher, loaded only when a request first asks for a browser. */
import type { BrowserPool, BrowserProxySource } from "./browser/browser-pool.ts";
import { fetchError } from "./errors.ts";
import type { FetcherSettings, HttpFetcherOptions } from "./fetcher-options.ts";
import type { ProxyPool } from "./proxy-pool.ts";

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
    private readonly proxies?: ProxyPool | undefined,
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
          sessionCipher: this.options.sessionCipher,
          capture: this.options.capture,
          timeoutMs: this.settings.timeoutMs,
          secrets: this.options.secrets,
          ...(this.proxies && { proxy: browserProxies(this.proxies) }),
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

/** The proxies as the browser pool takes them: one per context, renewed when it goes stale. */
function browserProxies(proxies: ProxyPool): BrowserProxySource {
  return {
    pick: () => {
      const { id, server, username, password } = proxies.forBrowser().endpoint;
      return {
        id,
        server,
        ...(username !== undefined && { username }),
        ...(password !== undefined && { password }),
      };
    },
    stale: (id) => proxies.stale(id),
  };
}
