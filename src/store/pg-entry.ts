/**
 * The PostgreSQL store's entry points, loading it (and the `pg` driver) only when called: most
 * processes run on SQLite, and every command would otherwise pay for evaluating the driver and
 * every PostgreSQL repository at start-up (the CLI bundle splits them into chunks of their own).
 */
import type { CopyOptions, CopyReport } from "./copy-to-pg.ts";
import type { BlobShareReport } from "./pg-blobs.ts";
import type { OpenPgOptions } from "./pg-database.ts";
import type { Store } from "./types.ts";

/** Opens the PostgreSQL store at `url` (see pg-store.ts). */
export async function openPgStore(url: string, options: OpenPgOptions = {}): Promise<Store> {
  return (await import("./pg-store.ts")).openPgStore(url, options);
}

/** Copies the SQLite database at `sqlitePath` into the empty PostgreSQL database at `url` (see copy-to-pg.ts). */
export async function copySqliteToPg(
  sqlitePath: string,
  url: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  return (await import("./copy-to-pg.ts")).copySqliteToPg(sqlitePath, url, options);
}

/**
 * Stores the blob folder `root`'s blobs in the PostgreSQL database at `url` (see
 * `PgBlobStore.shareLocal`): recordings made on SQLite, readable from every machine after `trawl db copy`.
 */
export async function copyBlobsToPg(root: string, url: string): Promise<BlobShareReport> {
  const [{ openPgDatabase }, { PgBlobStore }] = await Promise.all([
    import("./pg-database.ts"),
    import("./pg-blobs.ts"),
  ]);
  const pool = await openPgDatabase(url, { maxConnections: 1 });
  try {
    return await new PgBlobStore(pool, root).shareLocal();
  } finally {
    await pool.end();
  }
}
