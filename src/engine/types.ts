import type { Clock, EventBus, LogLevel, ExportFormat, ScrapedRecord } from "../core/index.ts";
import type { AttemptInfo, Fetcher, SecretSource } from "../fetch/index.ts";
import type { CompiledScraper } from "../pipeline/index.ts";
import type { RunRecord, Store } from "../store/index.ts";
import type { ResourceGovernor } from "./governor.ts";

/** What the fetcher of one run session is made for. */
export interface FetcherSession {
  run: RunRecord;
  /** Its politeness, browser settings and whether it records. */
  scraper: CompiledScraper;
  /** Called once per attempt, for the run's stats. */
  onAttempt(attempt: AttemptInfo): void;
  /** The run's log. */
  log(level: LogLevel, message: string): void;
  /** Values of the run's `{{ secret.NAME }}`, read when used; absent when it reads none. */
  secrets?: SecretSource;
}

/**
 * Opens the secrets a run reads (`{{ secret.NAME }}`) from the vault; the app implements it over
 * the security layer. Names the vault lacks are left out (the engine names them); a vault that
 * cannot be opened (a wrong master key, an altered row) rejects.
 */
export type SecretOpener = (
  names: readonly string[],
  /** The run that reads them, once it exists (when it starts or resumes); none: a check before it. */
  use?: { runId: string; scraper: string },
) => Promise<SecretSource>;

/** Makes the fetcher of one run session. */
export type FetcherFactory = (session: FetcherSession) => Fetcher;

/** Publishes a dataset version; the datasets layer implements it, the app wires it in. */
export type DatasetPublisher = (options: {
  name: string;
  runId: string;
  scraper: string;
  records: AsyncIterable<ScrapedRecord>;
  formats?: ExportFormat[];
}) => Promise<{ name: string; version: number; records: number }>;

/**
 * Reads start URLs from the datasets of the data directory (`start: { dataset, field }`); the app
 * implements it over the datasets layer. Each URL is checked; bad data is a usage error (exit 2).
 */
export interface StartDatasetReader {
  /** The version a new run starts from (the latest), after checking it has `field`. */
  latest(dataset: string, field: string): Promise<number>;
  /** The URLs in `field` of the records of `version`, in record order. */
  urls(dataset: string, version: number, field: string): AsyncIterable<string>;
}

/** What the engine is built from. */
export interface EngineOptions {
  store: Store;
  createFetcher: FetcherFactory;
  publish: DatasetPublisher;
  /** Normalises URLs before they enter a queue (dedupe key); null drops the URL. */
  normalizeUrl(url: string): string | null;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** @defaultValue a new bus */
  bus?: EventBus;
  /** Identity of this process as a run owner. @defaultValue `host:pid:nonce` */
  owner?: string;
  /** How often an executing session proves it is alive and picks up commands. @defaultValue 1000 */
  heartbeatMs?: number;
  /** A heartbeat older than this means the owner is gone. @defaultValue 10000 */
  staleAfterMs?: number;
  /**
   * Threads that parse pages without code, beside the crawl's own. 0 parses everything on the
   * crawl's thread. @defaultValue `defaultParseThreads()`: `TRAWL_PARSE_THREADS`, else one on
   * two cores and one per core beyond two on more, at most 4
   */
  parseThreads?: number;
  /** Start URLs from datasets; without it a definition that starts from a dataset cannot run. */
  startDatasets?: StartDatasetReader;
  /** The secrets vault; without it a definition that reads a secret cannot run. */
  openSecrets?: SecretOpener;
  /** Admits runs and keeps them within their limits and the memory ceiling. @defaultValue a new one, `defaultCeiling()` */
  governor?: ResourceGovernor;
}
