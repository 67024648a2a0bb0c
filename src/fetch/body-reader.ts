/**
 * Reads a response body into memory with a size cap enforced while streaming, both on the bytes
 * received and on the bytes after decompression, so a decompression bomb is stopped after at most
 * `maxBytes` (plus one zlib chunk) of output instead of being inflated whole.
 */
import type { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { FetchError, tooLargeError } from "./errors.ts";

/** A body read to the end. */
export interface ReadBody {
  /** The decompressed bytes. */
  bytes: Buffer;
  /** Bytes received on the wire (before decompression). */
  wireBytes: number;
}

/**
 * Streams `body` through the decoders named by `contentEncoding` (`gzip`/`x-gzip`, `deflate`,
 * `br`, `identity`, possibly several comma-separated, undone in reverse order) and collects it.
 * Rejects with `too_large` as soon as either the received or the decoded size exceeds `maxBytes`
 * (the source stream is destroyed, which closes the socket), with `unsupported_content` for an
 * unknown coding, and with whatever the source or zlib threw otherwise (the caller classifies it).
 * Raw deflate without a zlib header is not supported (rare; zlib reports a `decode` error).
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  url: string,
): Promise<ReadBody> {
  const decoders = decodersFor(contentEncoding, url);
  if (decoders.length === 0) return readPlain(body, maxBytes, url);
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  let decoded = 0;
  async function* countWire(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) throw tooLargeError(url, maxBytes, "body");
      yield chunk;
    }
  }
  async function collect(source: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of source) {
      decoded += chunk.length;
      if (decoded > maxBytes) throw tooLargeError(url, maxBytes, "decoded");
      chunks.push(chunk);
    }
  }
  // pipeline() destroys every stage (and so the socket) when any of them throws.
  await (pipeline as (...stages: unknown[]) => Promise<void>)(body, countWire, ...decoders, collect);
  return { bytes: Buffer.concat(chunks), wireBytes };
}

/**
 * The common case, no content coding: a plain loop. `pipeline()` would cost an AbortController and
 * a DOMException per response, a measurable share of a fast crawl.
 */
async function readPlain(body: Readable, maxBytes: number, url: string): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLargeError(url, maxBytes, "body");
    }
    chunks.push(chunk);
  }
  return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), wireBytes: size };
}

function decodersFor(contentEncoding: string | undefined, url: string): Transform[] {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  return codings.reverse().map((coding) => decoderFor(coding, url));
}

function decoderFor(coding: string, url: string): Transform {
  // Lenient flushes: a body cut short still yields what was decoded; truncation is reported by the
  // socket error instead.
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === "gzip" || coding === "x-gzip") return zlib.createGunzip(flush);
  if (coding === "deflate") return zlib.createInflate(flush);
  if (coding === "br") {
    return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
  throw new FetchError("unsupported_content", `unsupported content-encoding "${coding}" for ${url}`, {
    url,
    retryable: false,
  });
}
