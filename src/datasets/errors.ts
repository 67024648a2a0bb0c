/**
 * The datasets layer's errors. Codes are `TRAWL_ERR_DATASET_<WHAT>`; user mistakes (a bad name, an
 * unknown format, a dataset that does not exist) are {@link UsageError}s so the CLI exits with 2.
 */
import { defineErrors, errorFactory, NotFoundError, TrawlError, UsageError } from "../core/index.ts";
import type { TrawlErrorOptions } from "../core/index.ts";

/** Every code the datasets layer raises, with its message shape, kind and HTTP status. */
export const DATASET_ERRORS = defineErrors({
  TRAWL_ERR_DATASET_NAME: {
    kind: "usage",
    message: "invalid dataset name {name}: use letters, digits, '.', '_' or '-'",
  },
  TRAWL_ERR_DATASET_FORMAT: {
    kind: "usage",
    message: "unknown export format {format}: use jsonl, csv or json",
  },
  TRAWL_ERR_DATASET_NOT_FOUND: {
    kind: "not_found",
    message: "dataset {name} has no version {version}",
  },
  TRAWL_ERR_DATASET_CORRUPT: { kind: "failed", message: "{path}:{line}: not a JSON object" },
  TRAWL_ERR_DATASET_RECORD: { kind: "failed", message: "record #{n} is not an object" },
  TRAWL_ERR_DATASET_CSV_FIELDS: {
    kind: "failed",
    message: "record field {field} is not a CSV column; pass the complete field list to export CSV",
  },
  TRAWL_ERR_DATASET_PUBLISH: { kind: "failed", message: "publishing dataset {name} failed: {problem}" },
});

/** Makes an error of {@link DATASET_ERRORS}. */
export const datasetError = errorFactory(DATASET_ERRORS);

/** A dataset name that is not a safe slug (`../x`, `a/b`, `.hidden`, empty, too long). */
export class DatasetNameError extends UsageError {
  constructor(name: string, options: TrawlErrorOptions = {}) {
    super(
      "TRAWL_ERR_DATASET_NAME",
      `invalid dataset name ${JSON.stringify(name)}: use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 100 characters)`,
      { ...options, details: { name, ...options.details } },
    );
  }
}

/** An export format other than `jsonl`, `csv` or `json`. */
export class ExportFormatError extends UsageError {
  constructor(format: string, options: TrawlErrorOptions = {}) {
    super(
      "TRAWL_ERR_DATASET_FORMAT",
      `unknown export format ${JSON.stringify(format)}: use jsonl, csv or json`,
      {
        ...options,
        details: { format, ...options.details },
      },
    );
  }
}

/** The dataset, or the requested version of it, does not exist (or has no current version). */
export class DatasetNotFoundError extends NotFoundError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_DATASET_NOT_FOUND", message, options);
  }
}

/** A stored file that should be well-formed is not (an unreadable manifest, a bad jsonl line). */
export class DatasetCorruptError extends TrawlError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_DATASET_CORRUPT", message, options);
  }
}

/** A record that cannot be stored: not a plain object, or not serialisable as JSON. */
export class DatasetRecordError extends TrawlError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_DATASET_RECORD", message, options);
  }
}

/**
 * CSV columns are fixed by the header: a record brought a field that is not a column. Pass the
 * full field list (`fields`) when exporting a stream to CSV.
 */
export class CsvFieldsError extends TrawlError {
  constructor(field: string, options: TrawlErrorOptions = {}) {
    super(
      "TRAWL_ERR_DATASET_CSV_FIELDS",
      `record field ${JSON.stringify(field)} is not a CSV column; pass the complete field list to export CSV`,
      { ...options, details: { field, ...options.details } },
    );
  }
}

/** Publishing failed (disk full, permissions…); nothing was published and the temp files are gone. */
export class DatasetPublishError extends TrawlError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_DATASET_PUBLISH", message, options);
  }
}
