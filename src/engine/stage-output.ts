import type { ScrapedRecord } from "../core/index.ts";
import type { RecordStore } from "../store/index.ts";

/** Records buffered before a write: big enough to amortise transactions, small enough for memory. */
const FLUSH_EVERY = 500;

/**
 * The output stage of one post-crawl step, written as the step emits. For a step that declares
 * itself a filter (emits some of its input records, unchanged, in order), the output stays an
 * alias of the input for as long as the step drops nothing, and nothing is written: a filter that
 * keeps every record stores no copy. At its first drop, the records it passed so far are copied
 * inside the database, and the rest is written as usual. Each record written keeps the page it
 * came from: the source of the input the step was handling when it emitted the record.
 */
export class StageOutput {
  private buffer: ScrapedRecord[] = [];
  /** The source page of each buffered record. */
  private sources: (string | null)[] = [];
  /** The source of the input the step is handling; null once the input has ended. */
  private currentSource: string | null = null;
  private written = 0;
  /** Still the same records as the input, so far. */
  private mirroring: boolean;
  /** Records passed through while mirroring, to copy once the output diverges. */
  private mirrored = 0;
  private copyPending = false;
  private lastOffered: ScrapedRecord | undefined;
  private lastEmitted = true;

  constructor(
    private readonly records: RecordStore,
    private readonly runId: string,
    private readonly input: number,
    private readonly stage: number,
    filter: boolean,
  ) {
    this.mirroring = filter;
  }

  /** Records in the stage so far. */
  get count(): number {
    return this.mirrored + this.written + this.buffer.length;
  }

  /**
   * The step is about to receive `record`. Returns the write of a full buffer when there is one
   * to wait for (backpressure), else nothing: no promise per record.
   */
  offer(record: ScrapedRecord, source: string | null): Promise<void> | undefined {
    if (this.mirroring && !this.lastEmitted) this.diverge(); // the previous one was dropped
    this.lastOffered = record;
    this.lastEmitted = false;
    this.currentSource = source;
    return this.buffer.length >= FLUSH_EVERY ? this.flush() : undefined;
  }

  emit(record: ScrapedRecord): void {
    if (this.mirroring && record === this.lastOffered && !this.lastEmitted) {
      this.lastEmitted = true;
      this.mirrored += 1;
      return;
    }
    if (this.mirroring) this.diverge();
    this.buffer.push(record);
    this.sources.push(this.currentSource);
  }

  /** The step has read all its input: what it emits from now on comes from no one page. */
  endOfInput(): void {
    this.currentSource = null;
  }

  /** Stores the rest: the alias when the output never diverged, else the last buffer. */
  async finish(): Promise<void> {
    if (this.mirroring && this.lastEmitted) {
      await this.records.alias(this.runId, this.stage, this.input);
      return;
    }
    if (this.mirroring) this.diverge(); // the last one was dropped
    await this.flush();
  }

  private diverge(): void {
    this.mirroring = false;
    this.copyPending = this.mirrored > 0;
  }

  private async flush(): Promise<void> {
    if (this.copyPending) {
      this.copyPending = false;
      await this.records.copyLeading(this.runId, this.input, this.stage, this.mirrored);
    }
    const [batch, sources] = [this.buffer, this.sources];
    [this.buffer, this.sources] = [[], []];
    if (batch.length === 0) return;
    await this.records.append(this.runId, this.stage, batch, this.mirrored + this.written, sources);
    this.written += batch.length;
  }
}
