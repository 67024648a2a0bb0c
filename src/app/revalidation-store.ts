import type { CachedPage, RevalidationCache } from "../fetch/index.ts";
import type { BlobStore, Store } from "../store/index.ts";

/**
 * The pages `cache: revalidate` keeps for one scraper: validators in the store
 * (`page_validators`), bodies in the content-addressed blob store that recordings use too, so a
 * page recorded and revalidated is kept once.
 */
export function revalidationStore(store: Store, blobs: BlobStore, scraper: string): RevalidationCache {
  return {
    async lookup(url): Promise<CachedPage | undefined> {
      const kept = await store.validators.get(scraper, url);
      if (!kept) return undefined;
      return {
        etag: kept.etag,
        lastModified: kept.lastModified,
        finalUrl: kept.finalUrl,
        headers: kept.headers,
        bodySha256: kept.bodySha256,
        hasBody: () => blobs.has(kept.bodySha256),
        // A blob removed since (a data directory cleaned by hand): the page is fetched in full.
        body: () =>
          blobs.get(kept.bodySha256).then(
            (data) => data.toString("utf8"),
            () => undefined,
          ),
      };
    },
    async save(url, page): Promise<string> {
      const { sha256 } = await blobs.put(page.body);
      await store.validators.put({
        scraper,
        url,
        etag: page.headers.etag ?? null,
        lastModified: page.headers["last-modified"] ?? null,
        finalUrl: page.finalUrl,
        headers: page.headers,
        bodySha256: sha256,
        storedAt: Date.now(),
      });
      return sha256;
    },
  };
}
