/**
 * The start URLs of a run: those written in the definition, then those of its start sources
 * (files, datasets). A new run pins what the sources hold (`pinStartData`: every URL checked, the
 * dataset versions and file hashes kept in the run's options) so that a resume enqueues the same
 * URLs (`startUrlBatches`), even after a newer version of a dataset was published.
 */
import { createHash } from "node:crypto";
import { InternalError, type LogLevel } from "../core/index.ts";
import { describeStartSource, readStartFile } from "../pipeline/index.ts";
import type { CompiledScraper, StartPost, StartSource } from "../pipeline/index.ts";
import type { NewRequest, StartDataPins } from "../store/index.ts";
import type { StartDatasetReader } from "./types.ts";

/** Start requests of one target, a batch at a time. */
export interface StartBatch {
  target: string;
  urls: string[];
  /** Start requests that POST a body. */
  posts?: readonly StartPost[];
}

/** The queue's requests of a batch: URLs normalised (a bad one logged and skipped), POSTs with their body. */
export function startRequests(
  { target, urls, posts = [] }: StartBatch,
  pageType: string,
  normalizeUrl: (url: string) => string | null,
  log: (level: LogLevel, message: string) => void,
): NewRequest[] {
  const requests: NewRequest[] = [];
  for (const start of [...urls.map((url) => ({ url, body: undefined })), ...posts]) {
    const url = normalizeUrl(start.url);
    if (url) requests.push({ url, pageType, target, depth: 0, ...(start.body && { body: start.body }) });
    else log("error", `target ${target}: start URL ${start.url} is not a valid http(s) URL`);
  }
  return requests;
}

/** URLs per batch: one queue transaction each; a big file is never held whole. */
const BATCH_SIZE = 1000;

function requireReader(reader: StartDatasetReader | undefined): StartDatasetReader {
  if (!reader) throw new InternalError("this engine reads no datasets: start from a dataset needs the app");
  return reader;
}

/**
 * Reads every start source of `scraper` once, checking each URL, and returns what it read: the
 * latest version of each dataset, the SHA-256 of each file. Undefined when there are none.
 *
 * @throws the start data's usage errors (a missing file or column, a bad URL, an unknown dataset
 *   or field): the run is not created.
 */
export async function pinStartData(
  scraper: CompiledScraper,
  datasets: StartDatasetReader | undefined,
): Promise<StartDataPins | undefined> {
  const sources = scraper.targets.flatMap((target) => target.sources ?? []);
  if (sources.length === 0) return undefined;
  const pins: StartDataPins = { datasets: {}, files: {} };
  for (const source of sources) {
    if (source.kind === "file") {
      const digest = createHash("sha256");
      for await (const _url of readStartFile(source, digest));
      pins.files[source.path] = digest.digest("hex");
    } else {
      const reader = requireReader(datasets);
      const version = (pins.datasets[source.dataset] ??= await reader.latest(source.dataset, source.field));
      for await (const _url of reader.urls(source.dataset, version, source.field));
    }
  }
  return pins;
}

/** The URLs of one source, as pinned; logs where they come from, and a file that changed since. */
async function* sourceUrls(
  source: StartSource,
  pins: StartDataPins | undefined,
  datasets: StartDatasetReader | undefined,
  log: (level: LogLevel, message: string) => void,
): AsyncGenerator<string> {
  if (source.kind === "dataset") {
    const reader = requireReader(datasets);
    const version = pins?.datasets[source.dataset] ?? (await reader.latest(source.dataset, source.field));
    log("info", `start URLs from ${describeStartSource(source)}, version ${version}`);
    yield* reader.urls(source.dataset, version, source.field);
    return;
  }
  log("info", `start URLs from ${describeStartSource(source)}`);
  const digest = createHash("sha256");
  for await (const { url } of readStartFile(source, digest)) yield url;
  const pinned = pins?.files[source.path];
  if (pinned !== undefined && pinned !== digest.digest("hex")) {
    log(
      "warn",
      `start file ${source.file} changed since this run started: the URLs it lists now are added to those already queued`,
    );
  }
}

/**
 * Every start URL of the run, target by target, in batches: the definition's URLs, then each
 * source's, read as `pins` says (a dataset's pinned version, not a newer one).
 */
export async function* startUrlBatches(
  scraper: CompiledScraper,
  pins: StartDataPins | undefined,
  datasets: StartDatasetReader | undefined,
  log: (level: LogLevel, message: string) => void,
): AsyncGenerator<StartBatch> {
  for (const target of scraper.targets) {
    if (target.start.length > 0 || target.posts) {
      yield { target: target.name, urls: target.start, ...(target.posts && { posts: target.posts }) };
    }
    for (const source of target.sources ?? []) {
      let urls: string[] = [];
      for await (const url of sourceUrls(source, pins, datasets, log)) {
        urls.push(url);
        if (urls.length === BATCH_SIZE) {
          yield { target: target.name, urls };
          urls = [];
        }
      }
      if (urls.length > 0) yield { target: target.name, urls };
    }
  }
}
