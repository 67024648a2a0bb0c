import type { CaptureSink, FetchCapture } from "../fetch/index.ts";
import type { BlobStore, NewCapture, Store } from "../store/index.ts";

/** What a run captures besides screenshots of failed browser pages, which are always kept. */
export interface CaptureWishes {
  record: boolean;
  network: boolean;
  screenshotAll: boolean;
}

/** Per kind, the fields stored as the row's URL and as its blob (the rest is the detail). */
const STORED_APART = {
  page: ["url", "body"],
  response: ["url", "body"],
  action: ["pageUrl", "screenshot"],
  screenshot: ["pageUrl", "image"],
} as const satisfies Record<FetchCapture["kind"], readonly [string, string]>;

/** Rows written in one transaction at most; more wait for the next. */
const MAX_BATCH = 256;

/**
 * Stores a run's captures: bodies and images in the blob store first, then the row naming them,
 * so a stored capture never points to a missing blob. Rows that arrive together are written in
 * one transaction (a recorded crawl captures every page; one write each would contend with the
 * queue's writes); each `add` resolves once its row is stored.
 */
export class CaptureWriter implements CaptureSink {
  readonly record: boolean;
  readonly network: boolean;
  readonly screenshotAll: boolean;
  private pending: { row: NewCapture; done: () => void; failed: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly runId: string,
    wishes: CaptureWishes,
  ) {
    this.record = wishes.record;
    this.network = wishes.network || wishes.record;
    this.screenshotAll = wishes.screenshotAll;
  }

  async add(capture: FetchCapture): Promise<void> {
    const row = await this.toRow(capture);
    await new Promise<void>((done, failed) => {
      this.pending.push({ row, done, failed });
      this.flushing ??= this.flush();
    });
  }

  /** Writes what is pending, batch after batch, until nothing is. */
  private async flush(): Promise<void> {
    // Let the rows of requests finishing in the same turn join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        await this.store.captures.add(
          this.runId,
          batch.map((entry) => entry.row),
        );
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.failed(error);
      }
    }
    this.flushing = undefined;
  }

  /** The row of a capture: its URL and body (or image) pulled out, the rest as its detail. */
  private async toRow(capture: FetchCapture): Promise<NewCapture> {
    const [urlField, contentField] = STORED_APART[capture.kind];
    const {
      kind,
      at,
      [urlField]: url,
      [contentField]: content,
      ...detail
    } = capture as FetchCapture & Record<string, unknown>;
    const blob =
      content === undefined || content === null
        ? undefined
        : await this.blobs.put(content as Buffer | string);
    return {
      kind,
      at,
      url: url as string,
      detail,
      blob: blob?.sha256 ?? null,
      size: blob?.size ?? null,
    };
  }
}
