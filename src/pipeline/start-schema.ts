/**
 * Start URLs read from data (docs/scraper-format.md, "Targets and start URLs"): a file of the
 * definition's folder (`{ file, column }`) or a dataset of the data directory (`{ dataset, field }`).
 * The definition names them; the URLs are read when a run starts (see `start-file.ts` and the
 * app's start-data reader), never when it compiles.
 */
import { z } from "zod";

/** A file name ending that is read as CSV, with the delimiter it uses. */
export const CSV_DELIMITERS: Readonly<Record<string, string>> = { ".csv": ",", ".tsv": "\t" };

const isCsvName = (file: string): boolean =>
  Object.keys(CSV_DELIMITERS).some((ext) => file.toLowerCase().endsWith(ext));

/**
 * `{ file: urls.csv, column: url }`: the column of a CSV (`.csv`, or tab-separated `.tsv`) with a
 * header line; `{ file: urls.txt }`: a text file of one URL per line (blank lines and `#` comments
 * skipped). The path is relative to the definition file.
 */
export const fileStartSchema = z
  .strictObject({
    file: z.string().min(1),
    /** The CSV column holding the URLs; needed for `.csv`/`.tsv`, absent for a list of lines. */
    column: z.string().min(1).optional(),
  })
  .refine((start) => start.column !== undefined || !isCsvName(start.file), {
    message: 'a CSV file needs "column": the name of the column holding the URLs',
    path: ["column"],
  });

/** `{ dataset: books, field: url }`: a field of the latest version of a dataset, when the run starts. */
export const datasetStartSchema = z.strictObject({
  dataset: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "expected a dataset name (letters, digits, '.', '_', '-')"),
  /** The record field holding the URLs. @defaultValue "url" */
  field: z.string().min(1).default("url"),
});

/** A start source in the definition, compiled: what the run reads its start URLs from. */
export type StartSource =
  | {
      kind: "file";
      /** The file as the definition names it (messages show it). */
      file: string;
      /** Absolute path, resolved against the definition file's folder. */
      path: string;
      /** Absent: one URL per line. */
      column?: string;
      /** `,` or a tab for CSV; absent for a list of lines. */
      delimiter?: string;
    }
  | { kind: "dataset"; dataset: string; field: string };
