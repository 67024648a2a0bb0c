import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { TrawlError } from "../core/index.ts";
import { storeError } from "./errors.ts";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A stored blob: its SHA-256 (of the content, not of the compressed file) and size. */
export interface BlobRef {
  sha256: string;
  size: number;
}

/**
 * Content-addressed, gzip-compressed files under one folder (`ab/abcdef….gz`): the same body
 * recorded by a hundred runs is stored once. A blob appears under its name complete or not at
 * all (written aside, then renamed), so a crash leaves no half blob behind a name.
 */
export class FileBlobStore {
  /** Fan-out folders known to exist. */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  async put(content: Buffer | string): Promise<BlobRef> {
    const data = typeof content === "string" ? Buffer.from(content) : content;
    const sha256 = createHash("sha256").update(data).digest("hex");
    const path = this.pathOf(sha256);
    if (!(await exists(path))) {
      const folder = join(this.root, sha256.slice(0, 2));
      if (!this.folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        this.folders.add(folder);
      }
      const aside = `${path}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(aside, await gzipAsync(data, { level: 6 }));
      await rename(aside, path).catch(async (error: unknown) => {
        await unlink(aside).catch(() => undefined);
        throw error;
      });
    }
    return { sha256, size: data.length };
  }

  async get(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw notFound(sha256);
    const compressed = await readFile(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ENOENT" ? notFound(sha256) : error;
    });
    return gunzipAsync(compressed);
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), `${sha256}.gz`);
  }
}

function notFound(sha256: string): TrawlError {
  return storeError("TRAWL_ERR_STORE_BLOB_NOT_FOUND", { sha256: sha256.slice(0, 80) });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
