import { FetchError } from "../fetch/index.ts";
import type { AttemptInfo, FetchRequest, FetchResponse, Fetcher } from "../fetch/index.ts";
import { hostOf } from "../fetch/index.ts";
import type { FileBlobStore, Store } from "../store/index.ts";
import type { PageDetail } from "./capture-detail.ts";

/**
 * Serves a run's requests from another run's recording, never from the network: what the
 * recorded run parsed for a URL (for a browser page, its DOM after the actions), or the failure
 * it had. A URL the recording lacks fails with `not_recorded` and is listed in `missing`.
 */
export class ReplayFetcher implements Fetcher {
  /** URLs asked for that the recording does not have, in the order asked. */
  readonly missing: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly blobs: FileBlobStore,
    private readonly recordedRunId: string,
    private readonly onAttempt: (attempt: AttemptInfo) => void = () => undefined,
  ) {}

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const { url } = request;
    const page = await this.store.captures.latestPage(this.recordedRunId, url);
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
      this.onAttempt({ ...attempt, reason, ...(status !== undefined && { status }) });
      throw new FetchError(reason, message, {
        url,
        retryable: false,
        ...(status !== undefined && { status }),
      });
    }
    const body = (await this.blobs.get(page.blob)).toString("utf8");
    this.onAttempt({ ...attempt, status: detail.status ?? 200 });
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

  async close(): Promise<void> {}
}
