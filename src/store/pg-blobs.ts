/**
 * Blobs on a PostgreSQL store: every recorded body and screenshot is in the `blobs` table (its
 * SHA-256, its size, its gzip-compressed bytes as the files keep them), so any machine on the
 * database reads any run's recording. The data directory's blob folder stays as a cache: a write
 * goes to both, a read is served from the folder and fills it from the table when it lacks the
 * blob (checked against its hash first).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type pg from "pg";
import {
  blobHash,
  blobNotFound,
  isBlobName,
  type BlobRef,
  type BlobStore,
  FileBlobStore,
} from "./blob-store.ts";
import { storeError } from "./errors.ts";

/** What {@link PgBlobStore.shareLocal} did. */
export interface BlobShareReport {
  copied: number;
  /** Blobs the table held already. */
  present: number;
  /** Files whose content does not match their name: not copied. */
  mismatched: string[];
}

/** How many names of stored blobs a process remembers, to skip writing them again. */
const REMEMBERED = 100_000;

/** The blob store of a PostgreSQL store, with the data directory's folder as its cache. */
export class PgBlobStore implements BlobStore {
  /** Blobs this process knows the table holds (and the folder too). */
  private readonly stored = new Set<string>();
  private readonly files: FileBlobStore;

  constructor(
    private readonly pool: pg.Pool,
    root: string,
  ) {
    this.files = new FileBlobStore(root);
  }

  /**
   * Stores the blob in the table (a blob already there is kept: same name, same content), then in
   * the folder. Resolves once the row is committed, so a capture that names it is never ahead of it.
   */
  async put(content: Buffer | string): Promise<BlobRef> {
    const data = typeof content === "string" ? Buffer.from(content) : content;
    const sha256 = blobHash(data);
    if (!this.stored.has(sha256)) {
      const compressed = gzipSync(data, { level: 6 });
      await this.pool.query(
        `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
        [sha256, data.length, compressed],
      );
      this.files.keep(sha256, compressed);
      this.remember(sha256);
    }
    return { sha256, size: data.length };
  }

  async has(sha256: string): Promise<boolean> {
    if (await this.files.has(sha256)) return true;
    if (!isBlobName(sha256)) return false;
    const { rowCount } = await this.pool.query(`SELECT 1 FROM blobs WHERE sha256 = $1`, [sha256]);
    return rowCount === 1;
  }

  async get(sha256: string): Promise<Buffer> {
    if (await this.files.has(sha256)) return this.files.get(sha256);
    if (!isBlobName(sha256)) throw blobNotFound(sha256);
    const { rows } = await this.pool.query<{ data: Buffer }>(`SELECT data FROM blobs WHERE sha256 = $1`, [
      sha256,
    ]);
    const compressed = rows[0]?.data;
    if (!compressed) throw blobNotFound(sha256);
    const data = gunzipSync(compressed);
    if (blobHash(data) !== sha256) throw storeError("TRAWL_ERR_STORE_BLOB_CORRUPT", { sha256 });
    this.files.keep(sha256, compressed);
    return data;
  }

  /**
   * Stores the folder's blobs in the table (`trawl db copy`): each checked against its name first,
   * those already there left as they are.
   * @returns how many were stored, and the names of files whose content does not match them.
   */
  async shareLocal(): Promise<BlobShareReport> {
    const report: BlobShareReport = { copied: 0, present: 0, mismatched: [] };
    for (const sha256 of this.files.names()) {
      const compressed = this.files.readCompressed(sha256);
      const data = gunzipSync(compressed);
      if (blobHash(data) !== sha256) {
        report.mismatched.push(sha256);
        continue;
      }
      const { rowCount } = await this.pool.query(
        `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
        [sha256, data.length, compressed],
      );
      if (rowCount === 1) report.copied++;
      else report.present++;
    }
    return report;
  }

  private remember(sha256: string): void {
    if (this.stored.size >= REMEMBERED) this.stored.clear();
    this.stored.add(sha256);
  }
}
