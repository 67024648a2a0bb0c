/** Shared setup of the fetch integration tests: one fault site per file, fetchers closed after each test. */
import { afterAll, afterEach, beforeAll } from "vitest";
import { createHttpFetcher } from "../../src/fetch/index.ts";
import type { FetchError, HttpFetcher, HttpFetcherOptions } from "../../src/fetch/index.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import type { FaultSite } from "../fixtures/fault-site.ts";

/** Starts a fault site for the file and returns accessors plus a fetcher factory. */
export function useFaultSite(): {
  site: () => FaultSite;
  fetcher: (options?: HttpFetcherOptions) => HttpFetcher;
} {
  let site: FaultSite | undefined;
  const fetchers: HttpFetcher[] = [];
  beforeAll(async () => {
    site = await startFaultSite();
  });
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.close()));
  });
  afterAll(async () => {
    await site?.close();
  });
  return {
    site: () => {
      if (!site) throw new Error("fault site not started");
      return site;
    },
    fetcher: (options = {}) => {
      const fetcher = createHttpFetcher({
        ratePerHost: 1000,
        maxRatePerHost: 1000,
        obeyRobots: false,
        retries: 0,
        retryBaseDelayMs: 10,
        ...options,
      });
      fetchers.push(fetcher);
      return fetcher;
    },
  };
}

/** The FetchError a promise rejects with (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    return error as FetchError;
  }
  throw new Error("expected the fetch to fail");
}
