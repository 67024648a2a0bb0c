import type { CaptureSink, FetchCapture } from "../fetch/types.ts";
import type { FileBlobStore, NewCapture, Store } from "../store/index.ts";
import type { CaptureDetail } from "./capture-detail.ts";

/** What a run captures besides screenshots of failed browser pages, which are always kept. */
export interface CaptureWishes {
  record: boolean;
  network: boolean;
  screenshotAll: boolean;
}

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
    private readonly blobs: FileBlobStore,
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

  private async toRow(capture: FetchCapture): Promise<NewCapture> {
    const blob = await this.blobOf(capture);
    const row = (url: string, detail: CaptureDetail): NewCapture => ({
      kind: capture.kind,
      at: capture.at,
      url,
      detail: detail as unknown as Record<string, unknown>,
      blob: blob?.sha256 ?? null,
      size: blob?.size ?? null,
    });
    switch (capture.kind) {
      case "page": {
        const { kind: _k, at: _a, url, body: _b, ...detail } = capture;
        return row(url, detail);
      }
      case "response": {
        const { kind: _k, at: _a, url, body: _b, ...detail } = capture;
        return row(url, detail);
      }
      case "action": {
        const { kind: _k, at: _a, pageUrl, screenshot: _s, ...detail } = capture;
        return row(pageUrl, detail);
      }
      case "screenshot": {
        const { kind: _k, at: _a, pageUrl, image: _i, ...detail } = capture;
        return row(pageUrl, detail);
      }
    }
  }

  private blobOf(capture: FetchCapture) {
    const content =
      capture.kind === "page"
        ? capture.body
        : capture.kind === "response"
          ? capture.body
          : capture.kind === "action"
            ? capture.screenshot
            : capture.image;
    return content === undefined || content === null ? undefined : this.blobs.put(content);
  }
}
