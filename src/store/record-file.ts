/**
 * Records kept in an SQLite file of their own, to query them exactly as a run's stored records
 * (same sort, search, filters and cursors): a published dataset version whose run is gone.
 * The file holds one stage (0) of one pseudo-run ({@link RECORD_FILE_RUN}).
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { join } from "node:path";
import { openDatabase, writeTransaction } from "./database.ts";
import { migrations } from "./migrations.ts";
import { SqliteRecordStore } from "./sqlite-records.ts";
import type { RecordStore } from "./types.ts";

/** The run id the records of a record file are stored under. */
export const RECORD_FILE_RUN = "FILE";

/** Records written per transaction while a record file is built. */
const BATCH = 5000;

/**
 * Where the record file of `key` lives in `dir`. The name holds the schema version, so a newer
 * trawl builds its own file instead of reading one whose tables it does not know.
 */
export function recordFilePath(dir: string, key: string): string {
  return join(dir, `${key}-schema${migrations.at(-1)?.version ?? 0}.db`);
}

/** An open record file. */
export interface RecordFile {
  /** Query them as `records.query(RECORD_FILE_RUN, 0, …)`. */
  records: RecordStore;
  close(): void;
}

/**
 * Writes `records` (in order) to a new record file at `path`, atomically: a file that exists is
 * complete. Replaces any file there.
 */
export async function buildRecordFile(path: string, records: AsyncIterable<unknown>): Promise<void> {
  const temporary = `${path}.building`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${temporary}${suffix}`, { force: true });
  const db = openDatabase(temporary);
  try {
    // Purpose: the pseudo-run the records belong to (records reference a run).
    writeTransaction(db, () =>
      db
        .prepare(
          `INSERT INTO runs (id, scraper, definition_hash, status, created_at, updated_at) VALUES (?, '', '', 'succeeded', 0, 0)`,
        )
        .run(RECORD_FILE_RUN),
    );
    const store = new SqliteRecordStore(db);
    let batch: unknown[] = [];
    let written = 0;
    for await (const record of records) {
      batch.push(record);
      if (batch.length < BATCH) continue;
      await store.append(RECORD_FILE_RUN, 0, batch, written);
      written += batch.length;
      batch = [];
    }
    await store.append(RECORD_FILE_RUN, 0, batch, written);
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  renameSync(temporary, path);
}

/** Opens a record file {@link buildRecordFile} wrote; undefined when there is none at `path`. */
export function openRecordFile(path: string): RecordFile | undefined {
  if (!existsSync(path)) return undefined;
  // Not openDatabase: the file is a cache of checksummed data, not worth an integrity check per open.
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  return { records: new SqliteRecordStore(db), close: () => db.close() };
}
