import type { CaptureSink, FetchCapture } from "../fetch/types.ts";
import type { FileBlobStore, NewCapture, Store } from "../store/index.ts";
import type { CaptureDetail } from "./capture-detail.ts";

/** What a run captures besides screenshots of failed browser pages, which are always kept. */
export interface CaptureWishes {
  record: boolean;
  network: boolean;
  screenshotAll: boolean;
}

/**
 * Stores a run's captures: bodies and images in the blob store first, then the row naming them,
 * so a stored capture never points to a missing blob.
 */
export class CaptureWriter implements CaptureSink {
  readonly record: boolean;
  readonly network: boolean;
  readonly screenshotAll: boolean;

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
    await this.store.captures.add(this.runId, [await this.toRow(capture)]);
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
