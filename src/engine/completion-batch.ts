import type { Completion, Store } from "../store/types.ts";

interface Pending {
  completion: Completion;
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
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly runId: string,
    private readonly now: () => number,
  ) {}

  /** Queues a completion; resolves to its count of new links, or -1 when nothing was stored. */
  add(completion: Completion): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ completion, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      const added = await this.store.queue.completeMany(
        this.runId,
        batch.map((p) => p.completion),
        this.now(),
      );
      batch.forEach((p, i) => p.resolve(added[i]!));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
