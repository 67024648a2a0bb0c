/**
 * What a loaded scraper looks like to the engine: a compiled plan, independent of whether it came
 * from YAML or from `defineScraper` in TypeScript.
 */
import type { ExportFormat, RequestBody, ScrapedRecord } from "../core/index.ts";
import type { EachSpec, ExtractWarnings, FieldMap, FollowRule } from "../extract/index.ts";
import type {
  BrowserLoad,
  BrowserSettings,
  Politeness,
  ProxySettings,
  TemplateHosts,
} from "../fetch/index.ts";
import type { RequestHeaders } from "./request-headers.ts";
import type { StartPost, StartSource } from "./start-schema.ts";
import type { Tolerance } from "./units.ts";

/** A page handed to a page type's parser. */
export interface PageInput {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Link distance from the target's start URL (start = 0). */
  depth: number;
  /** Name of the target this page belongs to. */
  target: string;
  /** Name of the page type (key of `pages:`). */
  pageType: string;
  /** The `<lastmod>` of the sitemap entry that listed the page (`from: lastmod`), if any. */
  lastmod?: string;
}

/** A link found on a page, to be crawled as `page`. */
export interface DiscoveredLink {
  url: string;
  page: string;
  /** A sitemap's `<lastmod>` for the URL: queued with it, handed to the page as `lastmod`. */
  lastmod?: string;
  /** The POST body of a follow rule with `method: POST`: URL and body are the request. */
  body?: RequestBody;
}

/** What parsing one page yields. */
export interface PageOutput {
  records: ScrapedRecord[];
  links: DiscoveredLink[];
  /** Non-fatal extraction problems on this page (failed type conversions); absent means 0. */
  warnings?: number;
  /** What each of the page type's selectors matched on this page (see {@link Extraction.matches}). */
  matches?: number[];
}

/** Context handed to hooks and page parsers. */
export interface ScraperContext {
  runId: string;
  log(level: "debug" | "info" | "warn" | "error", message: string): void;
  signal: AbortSignal;
}

/** The declarative part of a page type: plain data, no code. */
export interface DeclarativePage {
  /** `json`: the body is parsed as JSON and read by JSONPath; `xml`: as XML, read by XPath. @defaultValue "html" */
  format?: "html" | "json" | "xml";
  follow?: FollowRule[];
  record?: FieldMap;
  records?: { each: EachSpec; fields: FieldMap };
}

/** What the declarative part found on one page, warnings not yet logged. */
export interface Extraction {
  records: ScrapedRecord[];
  links: DiscoveredLink[];
  warnings: ExtractWarnings;
  /**
   * Per selector of the page type, in `selectorSlots` order: elements `records.each` matched,
   * records in which a field found a value, links a follow rule found. Selector health counts them.
   */
  matches: number[];
}

/** One selector of a page type, as selector health reports it. */
export interface SelectorSlot {
  /** `each`: `records.each`; `field`: a field read by CSS or XPath; `follow`: a follow rule. */
  kind: "each" | "field" | "follow";
  /** The field's name; `each`; the page type a follow rule leads to. */
  name: string;
  /** The CSS selector or XPath expression (a follow rule's pattern as `/regex/`). */
  selector: string;
}

/** A page type, compiled. */
export interface CompiledPage {
  name: string;
  parse(page: PageInput, ctx: ScraperContext): Promise<PageOutput> | PageOutput;
  /**
   * Set when the page type has no code (no `parse` hook): then `parse` is exactly
   * `finishPage(extractPage(declarative, page))`, and the extraction may run on a parse thread.
   */
  declarative?: DeclarativePage;
  /** Set when pages of this type are loaded in the browser. */
  load?: BrowserLoad;
  /** The selectors selector health counts, in the order of `PageOutput.matches`. */
  selectors?: SelectorSlot[];
  /** Whether pages of this type can yield records: declared `record`/`records`, or a `parse` hook. */
  yieldsRecords?: boolean;
}

/** Limits of one run; `undefined` means unlimited. */
export interface RunLimits {
  maxPages?: number;
  maxDepth?: number;
  maxRuntimeMs?: number;
  /** Memory the run may hold (the resource governor measures it); over it the run pauses. */
  maxMemoryBytes?: number;
  /** CPU time the run may use over all its sessions; over it the run pauses. */
  maxCpuMs?: number;
  /** @defaultValue 2048 */
  maxUrlLength: number;
  /**
   * Failed requests the run tolerates: a count, or a share (0–1) of its requests. More fail the
   * run when the crawl ends, before its steps. A crawl that fetched no page at all always fails.
   */
  maxFailed?: Tolerance;
}

/** Context of a post-crawl step. */
export interface StepContext extends ScraperContext {
  scraper: string;
  /** Publishes records as a new version of a dataset; resolves to the version written. */
  publish(
    dataset: string,
    records: AsyncIterable<ScrapedRecord>,
    options?: { formats?: ExportFormat[] },
  ): Promise<{ name: string; version: number; records: number }>;
}

/** The result of one step, beyond its output records. */
export interface StepResult {
  /** Set by an export step. */
  dataset?: { name: string; version: number };
  /** Records the step dropped, with why (e.g. validation). */
  dropped?: number;
}

/**
 * A post-crawl step: reads the previous step's records and writes its own.
 * Steps must be deterministic: resume may re-run a step that was interrupted.
 */
export interface CompiledStep {
  /** Unique in the plan; breakpoints name it. */
  name: string;
  kind: string;
  /** Fields that identify a record from this step on (a dedupe step's key); compare uses them. */
  identity?: readonly string[];
  /**
   * The step only drops records: it emits records of its input, the very objects, unchanged and
   * in input order (validate, dedupe, export). Its output then stores no copy while it drops none.
   */
  filter?: boolean;
  run(
    input: AsyncIterable<ScrapedRecord>,
    emit: (record: ScrapedRecord) => void,
    ctx: StepContext,
  ): Promise<StepResult | void>;
}

/** A sitemap start, compiled (pipeline's sitemap-start.ts): the first document and its internal page type. */
export interface SitemapStart {
  /** The first document: the sitemap, or robots.txt for a site root. */
  url: string;
  /** The internal page type of its documents (`sitemap:<target>:<n>`). */
  pageType: string;
  /** The page type of the pages found. */
  page: string;
  /** Keep only page URLs this regular expression matches. */
  pattern?: string;
}

/** A target: a named group of start URLs; progress is reported per target. */
export interface CompiledTarget {
  name: string;
  /** The start URLs written in the definition. */
  start: string[];
  /** Start requests that POST a body (`method: POST`), fetched over HTTP (absent: none). */
  posts?: StartPost[];
  /** Files and datasets giving more start URLs, read when a run starts (absent: none). */
  sources?: StartSource[];
  /** Sitemap starts: their first document and the internal page type reading them (sitemap-start.ts). */
  sitemaps?: SitemapStart[];
}

/** A scraper ready to run. */
export interface CompiledScraper {
  name: string;
  /** Absolute path of the definition file, when loaded from one. */
  source?: string;
  /** SHA-256 of the definition text: a resume warns when the definition changed. */
  hash: string;
  targets: CompiledTarget[];
  /** The page type of start URLs (the first key of `pages:`). */
  startPage: string;
  pages: Record<string, CompiledPage>;
  /** Post-crawl steps, in order. The engine runs an implicit `crawl` step before them. */
  steps: CompiledStep[];
  /**
   * The fields identifying a record across runs: the declared `key:`, else the last dedupe
   * step's key. Absent: runs of this scraper are compared record by record, by position.
   */
  key?: readonly string[];
  limits: RunLimits;
  politeness: Politeness;
  /** The browser engine's settings; null when no page type uses the browser. */
  browser: BrowserSettings | null;
  /** Record every run of this scraper (as `trawl run --record`). */
  record: boolean;
  /**
   * A crawl that yields no records is a legitimate result: the run succeeds. Otherwise it fails
   * before its steps (see `EmptyCrawlError`). @defaultValue false
   */
  allowEmpty?: boolean;
  /** Headers and cookies of the requests, by target and page type; absent when none are set. */
  headers?: RequestHeaders;
  /** The proxies requests go through (`proxy:` / `proxies:` with `rotate:`); absent: none. */
  proxies?: ProxySettings;
  /**
   * The hosts each `{{ secret.NAME }}`/`{{ env.NAME }}` of the start URLs and POST bodies may be
   * sent to (their own); absent when they hold none.
   */
  templateHosts?: TemplateHosts;
  /** Environment variables the actions, headers, cookies and start requests read through `{{ env.NAME }}`; a run needs them set. */
  envNames: string[];
  /**
   * Secrets the actions, headers, cookies, proxy URLs and start requests read through `{{ secret.NAME }}`; a run
   * needs them in the vault. Only names: values are read when a request or action uses them.
   */
  secretNames: string[];
  /** The line of each secret's first reference in the definition file (YAML), for messages. */
  secretLines?: Readonly<Record<string, number>>;
  setup?(ctx: ScraperContext): Promise<void> | void;
  cleanup?(ctx: ScraperContext): Promise<void> | void;
}
