import type { Route } from "playwright-core";
import { browserEngine, FetchError, hostOf, loadKey } from "../fetch/index.ts";
import type {
  AttemptInfo,
  BrowserSettings,
  FetchRequest,
  FetchResponse,
  Fetcher,
  Politeness,
} from "../fetch/index.ts";
import type { CaptureRecord, BlobStore, Store } from "../store/index.ts";
import type { PageDetail, ResponseDetail } from "./capture-detail.ts";

type BrowserPool = InstanceType<Awaited<ReturnType<typeof browserEngine>>["BrowserPool"]>;

/** Browser requests whose absence from a recording changes what a page shows. */
const REPORTED_IF_MISSING: ReadonlySet<string> = new Set(["document", "xhr", "fetch", "script"]);
/** The stored body is decoded and whole: headers that describe the wire form would lie. */
const WIRE_HEADERS: ReadonlySet<string> = new Set([
  "content-encoding",
  "content-length",
  "transfer-encoding",
]);

/** Options of a {@link ReplayFetcher}. */
export interface ReplayFetcherOptions {
  /** Called once per request answered, for the replay's stats. */
  onAttempt?(attempt: AttemptInfo): void;
  /** The replayed scraper's browser settings and deadline, for pages replayed in the browser. */
  scraper?: { browser: BrowserSettings | null; politeness: Politeness };
}

/**
 * Serves a run's requests from another run's recording, never from the network. A page is
 * answered with what the recorded run parsed for its URL (for a browser page, its document after
 * the actions) or with the failure it had. A browser page whose definition now loads it
 * differently (other actions, `wait_for`, `wait_until`) is loaded again in the browser, every
 * request of it answered from the recorded network responses: changed actions replay too, as far
 * as the recording reaches. What the recording lacks fails with `not_recorded` (a page) or is
 * aborted (a request of a browser page), and is listed in `missing`.
 */
export class ReplayFetcher implements Fetcher {
  /** URLs asked for that the recording does not have, in the order asked. */
  readonly missing: string[] = [];
  private pool: Promise<BrowserPool> | undefined;

  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly recordedRunId: string,
    private readonly options: ReplayFetcherOptions = {},
  ) {}

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const { url } = request;
    const page = await this.store.captures.latestPage(this.recordedRunId, url, request.body ?? null);
    if (!page) {
      this.missing.push(url);
      throw new FetchError("not_recorded", `${url} is not in the recording of ${this.recordedRunId}`, {
        url,
        retryable: false,
      });
    }
    const detail = page.detail as unknown as PageDetail;
    const attempt = { url, host: hostOf(url), bytes: page.size ?? 0, latencyMs: 0, attempt: 0 };
    if (detail.error || !page.blob) {
      const { reason = "network", message = "failed when recorded", status } = detail.error ?? {};
      this.options.onAttempt?.({ ...attempt, reason, ...(status !== undefined && { status }) });
      throw new FetchError(reason, message, {
        url,
        retryable: false,
        ...(status !== undefined && { status }),
      });
    }
    if (request.browser && detail.load !== undefined && detail.load !== loadKey(request.browser)) {
      return this.loadInBrowser(request);
    }
    const body = (await this.blobs.get(page.blob)).toString("utf8");
    this.options.onAttempt?.({ ...attempt, status: detail.status ?? 200 });
    return {
      url,
      finalUrl: detail.finalUrl ?? url,
      status: detail.status ?? 200,
      headers: detail.headers ?? {},
      body,
      bytes: page.size ?? Buffer.byteLength(body),
      encoding: "utf-8",
      invalidBytes: 0,
      redirects: 0,
      retries: 0,
      latencyMs: 0,
    };
  }

  async close(): Promise<void> {
    await this.pool?.then(
      (pool) => pool.close(),
      () => undefined,
    );
  }

  /** Loads a page in the browser with every request answered from the recording. */
  private async loadInBrowser(request: FetchRequest): Promise<FetchResponse> {
    const { scraper } = this.options;
    const engine = await browserEngine();
    this.pool ??= Promise.resolve(
      new engine.BrowserPool(
        // No login: the recorded responses are what the logged-in session got.
        { ...scraper!.browser!, login: undefined },
        scraper!.politeness.userAgent,
        { route: (route) => this.answer(route) },
      ),
    );
    const page = await engine.fetchInBrowser(await this.pool, request.url, request.browser!, {
      timeoutMs: scraper!.politeness.timeoutMs,
      maxBodyBytes: scraper!.politeness.maxBodyBytes,
      maxRedirects: scraper!.politeness.maxRedirects,
      headers: {},
      ...(request.signal && { signal: request.signal }),
    });
    this.options.onAttempt?.({
      url: request.url,
      host: hostOf(request.url),
      status: page.status,
      bytes: page.bytes,
      latencyMs: page.latencyMs,
      attempt: 0,
    });
    return { ...page, url: request.url, retries: 0 };
  }

  private async answer(route: Route): Promise<void> {
    const request = route.request();
    const recorded = await this.store.captures
      .latestResponse(this.recordedRunId, request.url(), request.method())
      .catch(() => null);
    const body = recorded ? await this.bodyOf(recorded) : undefined;
    if (!recorded || body === undefined) {
      if (REPORTED_IF_MISSING.has(request.resourceType())) this.missing.push(request.url());
      return route.abort("blockedbyclient");
    }
    const detail = recorded.detail as unknown as ResponseDetail;
    const headers = Object.fromEntries(
      Object.entries(detail.headers).filter(([name]) => !WIRE_HEADERS.has(name.toLowerCase())),
    );
    return route.fulfill({ status: detail.status, headers, body });
  }

  /** The recorded body; empty for a redirect (it has none); undefined when it was not kept. */
  private async bodyOf(capture: CaptureRecord): Promise<Buffer | undefined> {
    if (capture.blob) return this.blobs.get(capture.blob).catch(() => undefined);
    const status = (capture.detail as unknown as ResponseDetail).status;
    return status >= 300 && status < 400 ? Buffer.alloc(0) : undefined;
  }
}
