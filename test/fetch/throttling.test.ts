/**
 * Retries and throttling over real sockets against the fault site: the retry policy is the one
 * authority on which statuses retry (a scraper can list its own), and a host that names its wait
 * is waited for, not slowed down, while one that keeps throttling is.
 */
import { describe, expect, it } from "vitest";
import type { AttemptInfo } from "../../src/fetch/index.ts";
import { compileValidated } from "../../src/pipeline/compile.ts";
import { DefinitionError } from "../../src/pipeline/errors.ts";
import { parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";
import { failureOf, useFaultSite } from "./helpers.ts";

const { site, fetcher } = useFaultSite();

/** The politeness a YAML definition compiles to. */
function politenessOf(yaml: string) {
  return compileValidated(
    parseDefinitionYaml(`name: t\nstart: http://127.0.0.1/\n${yaml}pages: { p: {} }\n`, "t.yaml"),
  ).politeness;
}

describe("the retry policy decides what retries", () => {
  it("does not retry a 501 by default: no retry implements a method", async () => {
    const attempts: AttemptInfo[] = [];
    const f = fetcher({ retries: 3, onAttempt: (info) => attempts.push(info) });
    const error = await failureOf(f.fetch({ url: `${site().url}/status/501` }));
    expect(error).toMatchObject({ reason: "http_501", status: 501 });
    expect(attempts).toHaveLength(1);
    expect(error.attempts).toBeUndefined();
  });

  it("retries a 403 when the scraper lists it in retry_statuses, and not otherwise", async () => {
    const listed = politenessOf("politeness:\n  retries: 2\n  retry_statuses: [403, 429, 503]\n");
    expect(listed.retryStatuses).toEqual([403, 429, 503]);
    const attempts: AttemptInfo[] = [];
    const f = fetcher({
      ...listed,
      ratePerHost: 1000,
      maxRatePerHost: 1000,
      onAttempt: (a) => attempts.push(a),
    });
    const error = await failureOf(f.fetch({ url: `${site().url}/status/403?listed` }));
    expect(error).toMatchObject({ reason: "http_403", attempts: 3 });
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403]);
    expect(site().hits("/status/403?listed")).toBe(3);

    const plain = politenessOf("politeness:\n  retries: 2\n");
    await failureOf(
      fetcher({ ...plain, ratePerHost: 1000, maxRatePerHost: 1000 }).fetch({
        url: `${site().url}/status/403?plain`,
      }),
    );
    expect(site().hits("/status/403?plain")).toBe(1);
  });

  it("stops retrying a status the scraper leaves out of retry_statuses", async () => {
    const politeness = politenessOf("politeness:\n  retries: 2\n  retry_statuses: [429]\n");
    const f = fetcher({ ...politeness, ratePerHost: 1000, maxRatePerHost: 1000 });
    await failureOf(f.fetch({ url: `${site().url}/status/503?dropped` }));
    expect(site().hits("/status/503?dropped")).toBe(1);
  });
});

describe("retry_statuses in a definition", () => {
  /** The problems of a definition whose politeness is `politeness`, as `trawl validate` prints them. */
  function problemsOf(politeness: string): string[] {
    const text = `name: t\nstart: http://127.0.0.1/\npoliteness:\n  ${politeness}\npages: { p: {} }\n`;
    try {
      parseDefinitionYaml(text, "shop.yaml");
    } catch (error) {
      if (error instanceof DefinitionError) return error.format().split("\n");
      throw error;
    }
    return [];
  }

  it("names the file, line and field of a status that cannot retry, or is listed twice", () => {
    expect(problemsOf('retry_statuses: [429, 200, "503"]')).toEqual([
      "shop.yaml:4:25 politeness.retry_statuses.1: expected an HTTP error status, 400 to 599: other statuses never fail a request",
      "shop.yaml:4:30 politeness.retry_statuses.2: expected an HTTP status like 503",
    ]);
    expect(problemsOf("retry_statuses: [429, 503, 429]")).toEqual([
      "shop.yaml:4:30 politeness.retry_statuses.2: 429 is listed twice",
    ]);
    expect(problemsOf("retry_statuses: 503")).toEqual([
      "shop.yaml:4:19 politeness.retry_statuses: expected a list of HTTP statuses, like [429, 503]",
    ]);
  });
});

describe("a throttling host", () => {
  it("is waited for, not slowed, when it names its wait once; and slowed when it throttles again right after", async () => {
    const f = fetcher({ ratePerHost: 50, maxRatePerHost: 50, retries: 0 });
    const host = new URL(site().url).host;
    await f.fetch({ url: `${site().url}/ok?warm` });
    await failureOf(f.fetch({ url: `${site().url}/retry-after/1?alone` }));
    expect(f.hostStats().find((s) => s.host === host)).toMatchObject({
      rate: 50,
      throttled: 1,
      blockedMs: 1000,
    });
    // The block delays the next request; then a 429 right after the wait is a verdict on the pace.
    await failureOf(f.fetch({ url: `${site().url}/retry-after/1?again` }));
    const stats = f.hostStats().find((s) => s.host === host)!;
    expect(stats).toMatchObject({ throttled: 2, maxRate: 50 });
    expect(stats.rate).toBeLessThan(50);
    expect(stats.blockedMs).toBe(2000);
  });
});
