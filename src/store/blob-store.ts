import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { TrawlError } from "../core/index.ts";
import { storeError } from "./errors.ts";

/** A stored blob: its SHA-256 (of the content, not of the compressed file) and size. */
export interface BlobRef {
  sha256: string;
  size: number;
}

/**
 * Recorded bodies and screenshots, content-addressed: what recordings, replays and
 * `cache: revalidate` read and write. {@link FileBlobStore} keeps them in the data directory; on
 * a PostgreSQL store they are in the database too, so every machine reads them (pg-blobs.ts).
 */
export interface BlobStore {
  put(content: Buffer | string): Promise<BlobRef>;
  /** Whether the blob is stored, without reading it. */
  has(sha256: string): Promise<boolean>;
  /** @throws `TRAWL_ERR_STORE_BLOB_NOT_FOUND` when it is not stored. */
  get(sha256: string): Promise<Buffer>;
}

/** True for a SHA-256 in lower-case hex, the only names a blob store has. */
export function isBlobName(sha256: string): boolean {
  return /^[0-9a-f]{64}$/.test(sha256);
}

/** The SHA-256 (lower-case hex) of a blob's content. */
export function blobHash(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Content-addressed, gzip-compressed files under one folder (`ab/abcdef….gz`): the same body
 * recorded by a hundred runs is stored once. A blob appears under its name complete or not at
 * all (written aside, then renamed), so a crash leaves no half blob behind a name.
 *
 * Blobs are small (pages, screenshots: kilobytes, compressed): each is read, inflated, deflated
 * and written synchronously, which costs a quarter of the CPU of the asynchronous calls (their
 * thread-pool round trips and zlib streams cost more than the work: 50 µs against 200 µs for a
 * 20 KB page), and a revisit reads one per page.
 */
export class FileBlobStore implements BlobStore {
  /** Fan-out folders known to exist. */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  async put(content: Buffer | string): Promise<BlobRef> {
    const data = typeof content === "string" ? Buffer.from(content) : content;
    const sha256 = blobHash(data);
    if (!existsSync(this.pathOf(sha256))) this.keep(sha256, gzipSync(data, { level: 6 }));
    return { sha256, size: data.length };
  }

  /**
   * Stores the gzip-compressed content of blob `sha256` as it is, unless there already (the caller
   * vouches for the name: a blob fetched from elsewhere is checked against its hash first).
   */
  keep(sha256: string, compressed: Buffer): void {
    const path = this.pathOf(sha256);
    if (existsSync(path)) return;
    const folder = join(this.root, sha256.slice(0, 2));
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const aside = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(aside, compressed);
    try {
      renameSync(aside, path);
    } catch (error) {
      rmSync(aside, { force: true });
      throw error;
    }
  }

  /** Whether the blob is stored, without reading it. */
  async has(sha256: string): Promise<boolean> {
    return isBlobName(sha256) && existsSync(this.pathOf(sha256));
  }

  async get(sha256: string): Promise<Buffer> {
    if (!isBlobName(sha256)) throw blobNotFound(sha256);
    let compressed: Buffer;
    try {
      compressed = readFileSync(this.pathOf(sha256));
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === "ENOENT" ? blobNotFound(sha256) : error;
    }
    return gunzipSync(compressed);
  }

  /** The names of the blobs in the folder (files named as blobs are named; leftovers skipped). */
  names(): string[] {
    const names: string[] = [];
    for (const folder of readdirIfThere(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(folder)) continue;
      for (const file of readdirIfThere(join(this.root, folder))) {
        const sha256 = file.slice(0, -".gz".length);
        if (file.endsWith(".gz") && isBlobName(sha256) && sha256.startsWith(folder)) names.push(sha256);
      }
    }
    return names;
  }

  /** The gzip-compressed file of a blob, as stored. */
  readCompressed(sha256: string): Buffer {
    return readFileSync(this.pathOf(sha256));
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), `${sha256}.gz`);
  }
}

function readdirIfThere(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** `TRAWL_ERR_STORE_BLOB_NOT_FOUND` for `sha256`. */
export function blobNotFound(sha256: string): TrawlError {
  return storeError("TRAWL_ERR_STORE_BLOB_NOT_FOUND", { sha256: sha256.slice(0, 80) });
}
