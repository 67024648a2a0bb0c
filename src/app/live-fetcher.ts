import type { Clock, homePaths } from "../core/index.ts";
import type { FetcherFactory } from "../engine/index.ts";
import { createHttpFetcher, sessionFileOf, type SessionCipher } from "../fetch/index.ts";
import { CaptureWriter } from "../replay/index.ts";
import type { Store } from "../store/index.ts";
import { revalidationStore } from "./revalidation-store.ts";
import { sharedPoliteness } from "./shared-politeness.ts";

/**
 * Fetchers of live runs: over HTTP and, for page types that ask, in the browser with the
 * scraper's saved session. What a run captures goes to the store and the blob folder: everything
 * when it records, else the browser's screenshots (failed pages always) and its HAR if asked.
 */
export function liveFetcher(
  paths: ReturnType<typeof homePaths>,
  store: Store,
  clock: Clock,
  sessionCipher?: SessionCipher,
): FetcherFactory {
  const blobs = store.blobStore(paths.blobs);
  return ({ run, scraper, onAttempt, log, secrets }) => {
    const { browser } = scraper;
    const record = run.options.record === true;
    const capture =
      record || browser
        ? new CaptureWriter(store, blobs, run.id, {
            record,
            network: browser?.har ?? false,
            screenshotAll: browser?.screenshots === "all",
          })
        : undefined;
    return createHttpFetcher({
      ...scraper.politeness,
      clock,
      onAttempt,
      browser,
      capture,
      proxies: scraper.proxies,
      templateHosts: scraper.templateHosts,
      secrets,
      // PostgreSQL: workers on other machines may crawl this run too; they share the hosts' pace.
      ...(store.hostGates && { shared: sharedPoliteness(store.hostGates, run.id) }),
      ...(scraper.politeness.cache === "revalidate" && {
        revalidation: revalidationStore(store, blobs, scraper.name),
      }),
      ...(browser && { sessionFile: sessionFileOf(paths.sessions, scraper.name), sessionCipher }),
      log: (level, message) => log(level, message),
    });
  };
}
