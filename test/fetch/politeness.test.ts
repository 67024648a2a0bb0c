import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, isRetryable } from "../../src/fetch/index.ts";
import type { AttemptInfo } from "../../src/fetch/index.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import type { FaultSite } from "../fixtures/fault-site.ts";
import { failureOf, useFaultSite } from "./helpers.ts";

const { site, fetcher } = useFaultSite();

describe("robots.txt", () => {
  it("denies a disallowed path with robots, without requesting it, and fetches robots.txt once", async () => {
    const f = fetcher({ obeyRobots: true });
    const error = await failureOf(f.fetch({ url: `${site().url}/private/page` }));
    expect(error).toMatchObject({ reason: "robots", retryable: false, code: "TRAWL_ERR_FETCH_ROBOTS" });
    expect(site().hits("/private/page")).toBe(0);
    const page = await f.fetch({ url: `${site().url}/ok` });
    expect(page.status).toBe(200);
    expect(site().hits("/robots.txt")).toBe(1);
  });

  it("fetches a disallowed path when robots are not obeyed", async () => {
    const page = await fetcher({ obeyRobots: false }).fetch({ url: `${site().url}/private` });
    expect(page.body).toContain("private");
  });

  it("allows all when robots.txt cannot be fetched, and says so", async () => {
    const warnings: string[] = [];
    const other = await startFaultSite({
      routes: { "/robots.txt": (_req, res) => res.writeHead(503).end("down") },
    });
    try {
      const f = fetcher({
        obeyRobots: true,
        log: (level, message) => level === "warn" && warnings.push(message),
      });
      const page = await f.fetch({ url: `${other.url}/private` });
      expect(page.status).toBe(200);
      expect(warnings.join("\n")).toMatch(/robots\.txt answered 503/);
    } finally {
      await other.close();
    }
  });
});

describe("retries", () => {
  it("succeeds on /flaky/2 after two retries and reports each attempt", async () => {
    const attempts: AttemptInfo[] = [];
    const f = fetcher({ retries: 3, onAttempt: (info) => attempts.push(info) });
    const page = await f.fetch({ url: `${site().url}/flaky/2` });
    expect(page).toMatchObject({ status: 200, retries: 2 });
    expect(page.body).toContain("recovered");
    expect(attempts.map((a) => [a.attempt, a.status, a.reason])).toEqual([
      [0, 503, "http_503"],
      [1, 503, "http_503"],
      [2, 200, undefined],
    ]);
    expect(attempts[2]?.bytes).toBe(page.bytes);
    const stats = f.hostStats().find((s) => s.host === new URL(site().url).host);
    expect(stats?.throttled).toBe(2);
  });
});

describe("Retry-After blocks one host only", () => {
  let second: FaultSite | undefined;
  afterEach(async () => {
    await second?.close();
  });

  it("delays the next request to the throttled host by Retry-After while another host goes on", async () => {
    second = await startFaultSite();
    const f = fetcher({ retries: 0 });
    const throttled = await failureOf(f.fetch({ url: `${site().url}/retry-after/2` }));
    expect(throttled).toMatchObject({ reason: "http_429", retryAfterMs: 2000 });
    expect(isRetryable(DEFAULT_RETRY_POLICY, throttled)).toBe(true);
    const throttledAt = site().log().at(-1)?.at ?? 0;

    const blocked = f.fetch({ url: `${site().url}/ok?after=429` });
    const other = await f.fetch({ url: `${second.url}/ok?other=host` });
    expect(other.status).toBe(200);
    const otherAt = second.log().find((hit) => hit.path === "/ok?other=host")?.at ?? Infinity;
    expect(site().hits("/ok?after=429")).toBe(0);
    expect(otherAt - throttledAt).toBeLessThan(1500);

    await blocked;
    const blockedAt =
      site()
        .log()
        .find((hit) => hit.path === "/ok?after=429")?.at ?? 0;
    expect(blockedAt - throttledAt).toBeGreaterThanOrEqual(1990);
    const host = new URL(site().url).host;
    expect(f.hostStats().find((s) => s.host === host)).toMatchObject({ throttled: 1 });
  });
});
