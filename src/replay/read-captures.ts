/**
 * Reading a run's recording for the exporters (WARC, HAR): the run, its captures in order, page
 * by page, with their bodies from the blob store, and the writing of the result to a stream.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { coreError, CREDENTIAL_HEADERS, REDACTED, RunNotFoundError } from "../core/index.ts";
import {
  type BlobStore,
  type CaptureKind,
  type CaptureRecord,
  type RunRecord,
  type Store,
} from "../store/index.ts";
import { NoRecordingError } from "./errors.ts";

/** A run whose recording is there to read. */
export interface Recording {
  store: Store;
  blobs: BlobStore;
  run: RunRecord;
  /** How many captures of each kind the run has. */
  counts: Partial<Record<CaptureKind, number>>;
}

/** What an export wrote. */
export interface ExportResult {
  /** WARC records (the `warcinfo` one included), or HAR entries. */
  records: number;
}

/**
 * Opens the recording of `runId`, whose bodies are in the blob store at `blobsRoot`. Throws a
 * {@link RunNotFoundError} (`TRAWL_ERR_ENGINE_RUN_NOT_FOUND`) when there is no such run and a
 * {@link NoRecordingError} when it captured no page and no response.
 */
export async function openRecording(store: Store, blobsRoot: string, runId: string): Promise<Recording> {
  const run = await store.runs.get(runId);
  if (!run) throw new RunNotFoundError(runId);
  const counts = await store.captures.counts(runId);
  if (!counts.page && !counts.response) throw new NoRecordingError(runId);
  return { store, blobs: store.blobStore(blobsRoot), run, counts };
}

/** Captures of the recording in the order they happened, `pageSize` rows read at a time. */
export async function* readCaptures(
  recording: Recording,
  kinds?: CaptureKind[],
  pageSize = 200,
): AsyncGenerator<CaptureRecord> {
  let afterId = 0;
  for (;;) {
    const page = await recording.store.captures.list(recording.run.id, {
      ...(kinds && { kinds }),
      afterId,
      limit: pageSize,
    });
    yield* page;
    if (page.length < pageSize) return;
    afterId = page.at(-1)!.id;
  }
}

/** The body or image of a capture; null when it has none. */
export async function bodyOf(recording: Recording, capture: CaptureRecord): Promise<Buffer | null> {
  return capture.blob ? recording.blobs.get(capture.blob) : null;
}

/**
 * Writes a chunk, waiting for `out` to drain when its buffer is full (memory stays flat). Rejects
 * when `out` fails or is closed first (a download whose client went away).
 */
export async function writeChunk(out: Writable, chunk: Uint8Array | string): Promise<void> {
  if (out.destroyed) throw coreError("TRAWL_ERR_CORE_OUTPUT_CLOSED");
  if (out.write(chunk)) return;
  const closed = new AbortController();
  await Promise.race([
    once(out, "drain", { signal: closed.signal }),
    once(out, "close", { signal: closed.signal }).then(() => {
      throw coreError("TRAWL_ERR_CORE_OUTPUT_CLOSED");
    }),
  ]).finally(() => closed.abort());
}

/** The value an export shows for a header: a credential's is redacted (DESIGN.md §3.6). */
export function exportedHeaderValue(name: string, value: string): string {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
}

/**
 * Stored headers as name–value pairs: a value holding several lines (repeated `set-cookie`, as
 * the fetchers store them) becomes one pair per line, and credentials are redacted.
 */
export function headerPairs(headers: Record<string, string> | undefined): [string, string][] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) =>
    value
      .split("\n")
      .map((line): [string, string] => [name, exportedHeaderValue(name, line.replace(/\r/g, ""))]),
  );
}
