/**
 * Streaming writers for the three export formats. One record is serialised at a time and output
 * is flushed in chunks that respect back-pressure, so any number of records fits in constant
 * memory. Used by `publishDataset` and by the `trawl export` command.
 *
 * Formats:
 * - `jsonl`: one JSON object per line, `\n` after every line.
 * - `json`: an array, one record per line: `[\n{…},\n{…}\n]\n`; `[]\n` when empty.
 * - `csv`: a header row, then one row per record (csv-stringify, `\n` line ends, RFC 4180
 *   quoting). Objects and arrays are JSON-encoded in their cell; `null` and missing fields are
 *   empty cells; booleans are `true`/`false`.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import { coreError } from "../core/index.ts";
import { CsvFieldsError, DatasetRecordError } from "./errors.ts";
import { assertExportFormat } from "./layout.ts";
import type { ExportFormat, ScrapedRecord } from "../core/index.ts";

/** Options of {@link writeRecords}. */
export interface WriteRecordsOptions {
  /**
   * CSV only: the columns, in order. A record with a field outside this list fails with a
   * {@link CsvFieldsError} (data is never dropped silently).
   * @defaultValue the fields of the first record
   */
  fields?: readonly string[];
  /**
   * CSV only: prefix cells starting with `=`, `+`, `-`, `@`, tab or CR with `'` so spreadsheet
   * programs do not evaluate scraped text as a formula. Changes the data, hence off by default.
   * @defaultValue false
   */
  escapeFormulas?: boolean;
}

/** What {@link writeRecords} wrote. */
export interface WriteRecordsResult {
  records: number;
  /** Field names in first-seen order across all records (fields whose value is `undefined` excluded). */
  fields: string[];
}

const FLUSH_AT = 64 * 1024;

/**
 * Writes `records` to `out` in `format`, streaming. Does not end `out` (it may be stdout): the
 * caller ends or closes it.
 * @throws {DatasetRecordError} for a record that is not a plain object or not JSON-serialisable.
 * @throws {CsvFieldsError} for CSV when a record has a field that is not a column.
 * @throws {ExportFormatError} for an unknown format.
 */
export async function writeRecords(
  records: AsyncIterable<ScrapedRecord> | Iterable<ScrapedRecord>,
  format: ExportFormat,
  out: Writable,
  options: WriteRecordsOptions = {},
): Promise<WriteRecordsResult> {
  const encoder = newEncoder(assertExportFormat(format), options);
  const sink = new ChunkedSink(out);
  const fields = new FieldCollector();
  let count = 0;
  await sink.write(encoder.start());
  for await (const record of records) {
    checkRecord(record, count);
    fields.add(record);
    await sink.write(encoder.record(record, count));
    count++;
  }
  await sink.write(encoder.end(count));
  await sink.flush();
  return { records: count, fields: fields.list() };
}

/** Reads a (re-iterable) record source once to find its fields in first-seen order, for CSV. */
export async function collectFields(
  records: AsyncIterable<ScrapedRecord> | Iterable<ScrapedRecord>,
): Promise<string[]> {
  const fields = new FieldCollector();
  for await (const record of records) fields.add(record);
  return fields.list();
}

/** Field names in first-seen order. */
export class FieldCollector {
  private readonly seen = new Set<string>();

  /** Notes the fields of one record. */
  add(record: ScrapedRecord): void {
    for (const [key, value] of Object.entries(record)) if (value !== undefined) this.seen.add(key);
  }

  /** The fields seen so far. */
  list(): string[] {
    return [...this.seen];
  }
}

interface Encoder {
  start(): string;
  record(record: ScrapedRecord, index: number): string;
  end(count: number): string;
}

function newEncoder(format: ExportFormat, options: WriteRecordsOptions): Encoder {
  if (format === "jsonl") return { start: () => "", record: (r, i) => `${toJson(r, i)}\n`, end: () => "" };
  if (format === "json") {
    return {
      start: () => "[",
      record: (r, i) => `${i === 0 ? "\n" : ",\n"}${toJson(r, i)}`,
      end: (count) => (count === 0 ? "]\n" : "\n]\n"),
    };
  }
  return new CsvEncoder(options);
}

class CsvEncoder implements Encoder {
  private columns: string[] | undefined;
  private columnSet = new Set<string>();
  private readonly escapeFormulas: boolean;

  constructor(options: WriteRecordsOptions) {
    this.escapeFormulas = options.escapeFormulas ?? false;
    if (options.fields) this.setColumns([...options.fields]);
  }

  start(): string {
    return this.columns ? this.row(this.columns) : "";
  }

  record(record: ScrapedRecord): string {
    let header = "";
    if (!this.columns) {
      this.setColumns(Object.keys(record).filter((key) => record[key] !== undefined));
      header = this.row(this.columns ?? []);
    }
    for (const [key, value] of Object.entries(record)) {
      if (value !== undefined && !this.columnSet.has(key)) throw new CsvFieldsError(key);
    }
    return header + this.row((this.columns ?? []).map((column) => toCell(record[column])));
  }

  end(): string {
    return "";
  }

  private setColumns(columns: string[]): void {
    this.columns = columns;
    this.columnSet = new Set(columns);
  }

  private row(cells: string[]): string {
    // A row of zero columns is an empty line, which csv-stringify would not write at all.
    if (cells.length === 0) return "";
    return stringify([cells], { escape_formulas: this.escapeFormulas, record_delimiter: "unix" });
  }
}

/** One CSV cell: text as is, null/missing empty, nested values JSON-encoded. */
export function toCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function checkRecord(record: unknown, index: number): asserts record is ScrapedRecord {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new DatasetRecordError(`record #${index + 1} is not an object`, { details: { index } });
  }
}

function toJson(record: ScrapedRecord, index: number): string {
  try {
    return JSON.stringify(record);
  } catch (cause) {
    throw new DatasetRecordError(`record #${index + 1} is not JSON-serialisable`, {
      cause,
      details: { index },
    });
  }
}

/** Batches small strings into large writes and waits for `drain` when the stream is full. */
class ChunkedSink {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly out: Writable) {}

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.pending.join("");
    this.pending = [];
    this.size = 0;
    if (this.out.errored) throw this.out.errored;
    if (this.out.destroyed)
      throw coreError("TRAWL_ERR_CORE_OUTPUT_CLOSED", "output stream closed before the export ended");
    if (!this.out.write(chunk)) await once(this.out, "drain");
  }
}
