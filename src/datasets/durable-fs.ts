/**
 * The few file-system moves an all-or-nothing publish needs: flush a file or a directory entry to
 * disk, write a small file durably, and checksum a file.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm } from "node:fs/promises";

/** Flushes a file's data and metadata to disk (fsync through a fresh descriptor: same inode). */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory, so that entries created or renamed in it survive a power loss.
 * Platforms and file systems that cannot fsync a directory (Windows: EPERM/EISDIR; some network
 * file systems: EINVAL) are tolerated: there is nothing more a process can do there.
 */
export async function fsyncDir(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "EISDIR" && code !== "EINVAL") throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `path` (created or truncated) and fsyncs it before resolving. */
export async function writeFileDurable(path: string, data: string): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** SHA-256 (lower-case hex) and byte size of a file, streamed. */
export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

/** Removes a file or directory tree; never throws (used on paths that are garbage anyway). */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}
