/** The diagnostics bundle's zip, written as it is made (fflate's streaming `Zip`) to a stream. */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { strToU8, Zip, ZipDeflate } from "fflate";
import { observeError } from "./errors.ts";

/** Adds files to a zip written to `out`, waiting for `out` to drain between files. */
export class ZipWriter {
  private readonly zip: Zip;
  private failure: Error | undefined;
  private finished = false;
  /** Bytes written to `out` so far. */
  bytes = 0;

  constructor(
    private readonly out: Writable,
    /** The time every file is stamped with. */
    private readonly mtime: Date,
  ) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) this.failure = error;
      else {
        this.bytes += chunk.length;
        out.write(chunk);
        if (final) this.finished = true;
      }
    });
  }

  /** Adds one file (text as UTF-8), compressed; rejects when `out` failed or closed first. */
  async add(name: string, content: string | Uint8Array): Promise<void> {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = this.mtime;
    this.zip.add(file);
    file.push(typeof content === "string" ? strToU8(content) : content, true);
    await this.drained();
  }

  /** Writes the zip's directory; `out` is left open for the caller to end. */
  async end(): Promise<void> {
    this.zip.end();
    if (this.failure || !this.finished)
      throw observeError(
        "TRAWL_ERR_OBSERVE_BUNDLE",
        { problem: this.failure?.message ?? "the zip did not finish" },
        { cause: this.failure },
      );
    await this.drained();
  }

  private async drained(): Promise<void> {
    if (this.failure)
      throw observeError(
        "TRAWL_ERR_OBSERVE_BUNDLE",
        { problem: this.failure.message },
        { cause: this.failure },
      );
    if (this.out.destroyed) throw closed();
    if (!this.out.writableNeedDrain) return;
    const done = new AbortController();
    await Promise.race([
      once(this.out, "drain", { signal: done.signal }),
      once(this.out, "close", { signal: done.signal }).then(() => {
        throw closed();
      }),
    ]).finally(() => done.abort());
  }
}

const closed = () => observeError("TRAWL_ERR_OBSERVE_BUNDLE", { problem: "its output was closed" });
