import type { Completion, Store } from "../store/index.ts";

interface Pending {
  /** Cleared once stored (see `ParsePool`'s pending pages: a dead old record must not hold it). */
  completion: Completion | undefined;
  resolve(added: number): void;
  reject(error: unknown): void;
}

/**
 * Gathers the requests that finish within one turn of the event loop and stores them in one
 * transaction: at hundreds of pages per second, commits (not parsing) would otherwise set the
 * pace. Each request's done-mark, records and links stay all-or-nothing inside the batch; a crash
 * before the flush leaves those requests leased, and resume fetches them again.
 */
export class CompletionBatch {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  /**
   * @param maxDelayMs - How long a completion may wait for company. Bigger batches write far less
   *   (each commit rewrites the same index pages); the crawl loop calls `hurry` when it has
   *   nothing else to wait for.
   * @param maxSize - A batch this big is stored at once.
   */
  constructor(
    private readonly store: Store,
    private readonly runId: string,
    private readonly now: () => number,
    private readonly maxDelayMs = 5,
    private readonly maxSize = 64,
  ) {}

  /** Queues a completion; resolves to its count of new links, or -1 when nothing was stored. */
  add(completion: Completion): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ completion, resolve, reject });
      if (this.pending.length >= this.maxSize) this.hurry();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    });
  }

  /** Stores what is pending at the next turn of the event loop instead of waiting for company. */
  hurry(): void {
    if (this.pending.length === 0) return;
    this.immediate ??= setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const added = await this.store.queue.completeMany(
        this.runId,
        batch.map((p) => p.completion!),
        this.now(),
      );
      batch.forEach((p, i) => p.resolve(added[i]!));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      for (const p of batch) p.completion = undefined;
    }
  }
}
