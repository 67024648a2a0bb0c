/** What `cache: revalidate` keeps of a page between runs (see {@link ValidatorStore}). */
export interface PageValidators {
  /** The scraper's name: each scraper keeps its own. */
  scraper: string;
  /** The URL asked for. */
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** The URL after redirects, which relative links resolve against. */
  finalUrl: string;
  /** The response's headers (lower-cased names). */
  headers: Record<string, string>;
  /** The body's blob in the blob store. */
  bodySha256: string;
  storedAt: number;
}

/** The validators and body references of revisited pages, per scraper and URL, across runs. */
export interface ValidatorStore {
  get(scraper: string, url: string): Promise<PageValidators | undefined>;
  /** Stores (or replaces) a URL's validators. */
  put(validators: PageValidators): Promise<void>;
  /**
   * What the URL's kept body yielded when extracted under `key` (JSON text), or `undefined`
   * when nothing was kept under that key.
   */
  extraction(scraper: string, url: string, key: string): Promise<string | undefined>;
  /** Keeps what the URL's kept body yielded under `key`, replacing what it kept before. */
  keepExtraction(scraper: string, url: string, key: string, extraction: string): Promise<void>;
}
