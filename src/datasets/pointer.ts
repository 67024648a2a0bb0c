/**
 * The `current` pointer of a dataset: a small JSON file `{ "version": N }`, replaced atomically
 * (write `current.tmp`, fsync, rename over `current`, fsync the directory).
 */
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDir, writeFileDurable } from "./durable-fs.ts";
import { POINTER_FILE, POINTER_TEMP_FILE } from "./layout.ts";

/** The version `current` points to; `null` when there is no pointer or it is unreadable. */
export async function readPointer(datasetDir: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(join(datasetDir, POINTER_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "number" && Number.isInteger(version) && version > 0 ? version : null;
  } catch {
    return null;
  }
}

/**
 * Points `current` at `version`, atomically: readers see the old or the new pointer, never a
 * half-written one. A concurrent cleanup may remove `current.tmp` between the write and the
 * rename; that ENOENT is retried a few times.
 */
export async function writePointer(datasetDir: string, version: number): Promise<void> {
  const temp = join(datasetDir, POINTER_TEMP_FILE);
  for (let attempt = 1; ; attempt++) {
    await writeFileDurable(temp, `${JSON.stringify({ version })}\n`);
    try {
      await rename(temp, join(datasetDir, POINTER_FILE));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 3) throw error;
    }
  }
  await fsyncDir(datasetDir);
}
