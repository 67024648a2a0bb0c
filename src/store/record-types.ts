/** Storage contract of a run's records, stage by stage. */
import type { QueriedRecord, RecordQuery, RecordQueryPage, RecordSelection } from "./record-query.ts";

/**
 * A stored record with the page it came from (null: unknown): its URL, and for a POST's record a
 * NUL and the POST body's digest (`parseRecordSource` splits them).
 */
export interface SourcedRecord {
  data: unknown;
  source: string | null;
}

export interface RecordStore {
  /** Records of a stage in their stable order (crawl stage: by URL, then position on the page). */
  read(runId: string, stage: number, batchSize?: number): AsyncIterable<unknown>;
  /** The same records a page (of at most `batchSize`) at a time: one await per page, not per record. */
  readPages(runId: string, stage: number, batchSize?: number): AsyncIterable<unknown[]>;
  /** The same pages, each record with the URL of the page it came from. */
  readSourcedPages(runId: string, stage: number, batchSize?: number): AsyncIterable<SourcedRecord[]>;
  /** The record at `position` in the stage's order, with its source; undefined past the end. */
  at(runId: string, stage: number, position: number): Promise<SourcedRecord | undefined>;
  count(runId: string, stage: number): Promise<number>;
  /**
   * One page of a stage's records matching `query`: sorted, searched and filtered over all the
   * stage's records (not a page of them), with the matching total and a cursor for the next page
   * (see record-query.ts for the exact meaning of each part, which every backend keeps).
   * @throws {RecordQueryError} a sort or filter field no record has, a filter without its value,
   *   a cursor of another query.
   */
  query(runId: string, stage: number, query: RecordQuery): Promise<RecordQueryPage>;
  /** Every record `selection` matches, in its order, a page (of at most `batchSize`) at a time. */
  queryPages(
    runId: string,
    stage: number,
    selection: RecordSelection,
    batchSize?: number,
  ): AsyncIterable<QueriedRecord[]>;
  /**
   * Appends records of a step's output stage, continuing the stage's order; `sources[i]` is the
   * page `records[i]` came from, when known.
   */
  append(
    runId: string,
    stage: number,
    records: unknown[],
    firstIndex: number,
    sources?: readonly (string | null)[],
  ): Promise<void>;
  /**
   * Makes `stage` hold exactly the records of `sameAs` without copying them (a step that passed
   * its input through unchanged). Reads of `stage` then read `sameAs`'s records.
   */
  alias(runId: string, stage: number, sameAs: number): Promise<void>;
  /**
   * Copies the first `count` records of stage `from` to the start of stage `to`, in the database
   * (no JSON round trip): a step that passed its first records through, then dropped one.
   */
  copyLeading(runId: string, from: number, to: number, count: number): Promise<void>;
  /** Deletes a stage, stored or aliased (a step re-run after an interruption starts from nothing). */
  clear(runId: string, stage: number): Promise<void>;
}
