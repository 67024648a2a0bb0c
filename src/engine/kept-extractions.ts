import type { ExtractionMemo } from "../pipeline/index.ts";
import type { Store } from "../store/index.ts";

/**
 * The extractions `cache: revalidate` keeps for one scraper, in the store beside the kept pages'
 * validators: one per URL at most, the latest.
 */
export function keptExtractions(store: Store, scraper: string): ExtractionMemo {
  return {
    get: (url, key) => store.validators.extraction(scraper, url, key),
    keep: (url, key, extraction) => store.validators.keepExtraction(scraper, url, key, extraction),
  };
}
