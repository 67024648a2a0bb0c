import type { Progress, TargetProgress } from "../core/index.ts";
import type { TargetCounts } from "../store/index.ts";

interface Counter {
  done: number;
  failed: number;
  known: number;
  records: number;
  inFlight: number;
}

/**
 * Per-target progress of the crawl, kept in memory from the queue's counts and updated as
 * requests finish, so progress events cost no query.
 */
export class ProgressTracker {
  private counters = new Map<string, Counter>();
  private finished = false;

  constructor(targets: string[], counts: TargetCounts[] = []) {
    for (const name of targets)
      this.counters.set(name, { done: 0, failed: 0, known: 0, records: 0, inFlight: 0 });
    this.refresh(counts);
  }

  /**
   * Takes the queue's counts as they are now (on a queue other processes share, their pages
   * too); this process's requests in flight stay as they are.
   */
  refresh(counts: TargetCounts[]): void {
    for (const c of counts) {
      const counter = this.counter(c.target);
      counter.done = c.done;
      counter.failed = c.failed;
      counter.records = c.records;
      counter.known = c.pending + c.leased + c.done + c.failed;
    }
  }

  private counter(target: string): Counter {
    let counter = this.counters.get(target);
    if (!counter) {
      counter = { done: 0, failed: 0, known: 0, records: 0, inFlight: 0 };
      this.counters.set(target, counter);
    }
    return counter;
  }

  discovered(target: string, count: number): void {
    this.counter(target).known += count;
  }

  started(target: string): void {
    this.counter(target).inFlight++;
  }

  /** A request ended: `ok` with its record count, or failed. */
  ended(target: string, ok: boolean, records: number): void {
    const counter = this.counter(target);
    counter.inFlight--;
    if (ok) counter.done++;
    else counter.failed++;
    counter.records += records;
  }

  /** Requests aborted before finishing (pause of a cancel) are in flight no more. */
  abandoned(target: string): void {
    this.counter(target).inFlight--;
  }

  /** Marks the crawl as over: every target is `done` (or `failed` if it got nothing but errors). */
  finish(): void {
    this.finished = true;
  }

  /** Pages finished (done or failed) over all targets. */
  pagesDone(): number {
    let total = 0;
    for (const c of this.counters.values()) total += c.done + c.failed;
    return total;
  }

  overall(): Progress {
    const total: Progress = { pagesDone: 0, pagesKnown: 0, records: 0, errors: 0 };
    for (const c of this.counters.values()) {
      total.pagesDone += c.done + c.failed;
      total.pagesKnown += c.known;
      total.records += c.records;
      total.errors += c.failed;
    }
    return total;
  }

  targets(): TargetProgress[] {
    return [...this.counters].map(([name, c]) => ({
      name,
      status: this.statusOf(c),
      pagesDone: c.done + c.failed,
      pagesKnown: c.known,
      records: c.records,
      errors: c.failed,
    }));
  }

  private statusOf(c: Counter): TargetProgress["status"] {
    const settled = c.done + c.failed >= c.known && c.inFlight === 0;
    if (this.finished || (settled && c.known > 0)) return c.done === 0 && c.failed > 0 ? "failed" : "done";
    return c.done + c.failed + c.inFlight > 0 ? "running" : "pending";
  }
}
