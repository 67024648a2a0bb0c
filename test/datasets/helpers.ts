/** Shared helpers of the datasets tests: temp roots, an in-memory sink, file checksums. */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";

/** A fresh temp directory; `dispose` removes it. */
export async function makeTempRoot(): Promise<{ root: string; dispose: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "trawl-datasets-"));
  return { root, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** A writable that keeps everything written, optionally slow (to exercise back-pressure). */
export class MemorySink extends Writable {
  private readonly chunks: Buffer[] = [];

  constructor(options: { slow?: boolean } = {}) {
    super({
      highWaterMark: options.slow ? 16 : 16 * 1024,
      write: (chunk: Buffer, _encoding, callback) => {
        this.chunks.push(Buffer.from(chunk));
        if (options.slow) setImmediate(callback);
        else callback();
      },
    });
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** SHA-256 of a file, computed independently of the code under test. */
export async function sha256Of(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** Entries of a directory, sorted. */
export async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** The parsed `current` pointer of a dataset. */
export async function pointerOf(root: string, name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(root, name, "current"), "utf8"));
}
