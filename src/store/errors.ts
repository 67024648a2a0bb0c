/** The store layer's error catalogue: the database, the blob store and record queries. */
import { defineErrors, errorFactory, TrawlError, UsageError, type TrawlErrorOptions } from "../core/index.ts";

/** Every code the store raises, with its message shape, kind and HTTP status. */
export const STORE_ERRORS = defineErrors({
  TRAWL_ERR_STORE_CORRUPT: {
    kind: "failed",
    message: "database {path} is corrupt ({problems}); trawl will not touch it",
  },
  TRAWL_ERR_STORE_SCHEMA_TOO_NEW: {
    kind: "failed",
    message: "database {path} has schema version {found}, this trawl knows up to {known}; upgrade trawl",
  },
  TRAWL_ERR_STORE_CONNECT: {
    kind: "failed",
    message: "cannot open the PostgreSQL database {url}: {problem}",
  },
  TRAWL_ERR_STORE_COPY_NO_SOURCE: {
    kind: "not_found",
    message: "no SQLite database at {path}: nothing to copy (is --home the data directory?)",
  },
  TRAWL_ERR_STORE_COPY_NOT_EMPTY: {
    kind: "conflict",
    message:
      "the PostgreSQL database {url} is not empty ({tables} hold rows); trawl db copy writes only into an empty database, nothing was written (after a copy of this data directory whose files were not all copied, `trawl db copy --files-only` copies those left)",
  },
  TRAWL_ERR_STORE_COPY_FAILED: {
    kind: "failed",
    message: "cannot copy into {url}: {problem}; rolled back, nothing was written",
  },
  TRAWL_ERR_STORE_BLOB_NOT_FOUND: { kind: "not_found", message: "no stored blob {sha256}" },
  TRAWL_ERR_STORE_BLOB_CORRUPT: {
    kind: "failed",
    message: "the database's blob {sha256} does not match its hash; it was not used",
  },
  TRAWL_ERR_STORE_ID_EXHAUSTED: { kind: "failed", message: "could not allocate a {what} id" },
  TRAWL_ERR_RECORDS_BAD_SORT: { kind: "usage", message: "cannot sort by {field}: {problem}" },
  TRAWL_ERR_RECORDS_BAD_FILTER: { kind: "usage", message: "cannot filter on {field}: {problem}" },
  TRAWL_ERR_RECORDS_BAD_CURSOR: { kind: "usage", message: "the cursor is not one this server issued" },
});

/** Makes an error of {@link STORE_ERRORS}. */
export const storeError = errorFactory(STORE_ERRORS);

/** The database file exists but fails `PRAGMA integrity_check`: refused, never recreated. */
export class CorruptDatabaseError extends TrawlError {
  constructor(path: string, problems: string[], options: TrawlErrorOptions = {}) {
    super(
      "TRAWL_ERR_STORE_CORRUPT",
      `database ${path} is corrupt (${problems.slice(0, 3).join("; ")}); trawl will not touch it. ` +
        `Restore a backup from the backups folder or move the file away.`,
      { ...options, details: { path, problems } },
    );
  }
}

/** The database was written by a newer trawl than this one. */
export class SchemaTooNewError extends TrawlError {
  constructor(path: string, found: number, known: number) {
    super(
      "TRAWL_ERR_STORE_SCHEMA_TOO_NEW",
      `database ${path} has schema version ${found}, this trawl knows up to ${known}; upgrade trawl`,
      { details: { path, found, known } },
    );
  }
}

/**
 * A record query the store cannot answer: a sort or filter field no record has (or one it cannot
 * address), a filter without its value, a cursor it did not issue for this query. API: 400.
 */
export class RecordQueryError extends UsageError {
  constructor(
    code: "TRAWL_ERR_RECORDS_BAD_SORT" | "TRAWL_ERR_RECORDS_BAD_FILTER" | "TRAWL_ERR_RECORDS_BAD_CURSOR",
    message: string,
    options: TrawlErrorOptions = {},
  ) {
    super(code, message, options);
  }
}
