import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
 * Content-addressed, gzip-compressed files under one folder (`ab/abcdef….gz`): the same body
 * recorded by a hundred runs is stored once. A blob appears under its name complete or not at
 * all (written aside, then renamed), so a crash leaves no half blob behind a name.
 *
 * Blobs are small (pages, screenshots: kilobytes, compressed): each is read, inflated, deflated
 * and written synchronously, which costs a quarter of the CPU of the asynchronous calls (their
 * thread-pool round trips and zlib streams cost more than the work: 50 µs against 200 µs for a
 * 20 KB page), and a revisit reads one per page.
 */
export class FileBlobStore {
  /** Fan-out folders known to exist. */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  async put(content: Buffer | string): Promise<BlobRef> {
    const data = typeof content === "string" ? Buffer.from(content) : content;
    const sha256 = createHash("sha256").update(data).digest("hex");
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      const folder = join(this.root, sha256.slice(0, 2));
      if (!this.folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      const aside = `${path}.${randomBytes(4).toString("hex")}.tmp`;
      writeFileSync(aside, gzipSync(data, { level: 6 }));
      try {
        renameSync(aside, path);
      } catch (error) {
        rmSync(aside, { force: true });
        throw error;
      }
    }
    return { sha256, size: data.length };
  }

  /** Whether the blob is stored, without reading it. */
  async has(sha256: string): Promise<boolean> {
    return /^[0-9a-f]{64}$/.test(sha256) && existsSync(this.pathOf(sha256));
  }

  async get(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw notFound(sha256);
    let compressed: Buffer;
    try {
      compressed = readFileSync(this.pathOf(sha256));
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === "ENOENT" ? notFound(sha256) : error;
    }
    return gunzipSync(compressed);
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), `${sha256}.gz`);
  }
}

function notFound(sha256: string): TrawlError {
  return storeError("TRAWL_ERR_STORE_BLOB_NOT_FOUND", { sha256: sha256.slice(0, 80) });
}
