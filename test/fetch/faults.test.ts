import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, FetchError, isRetryable } from "../../src/fetch/index.ts";
import type { AttemptInfo } from "../../src/fetch/index.ts";
import { failureOf, useFaultSite } from "./helpers.ts";

const { site, fetcher } = useFaultSite();

/** A port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("fetch faults end with their reason code", () => {
  it("fetches a normal page", async () => {
    const page = await fetcher().fetch({ url: `${site().url}/ok#frag` });
    expect(page).toMatchObject({ status: 200, encoding: "utf-8", invalidBytes: 0, redirects: 0, retries: 0 });
    expect(page.body).toContain("<p>ok</p>");
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
  });

  it("times out a trickling server at the deadline instead of holding the slot", async () => {
    const started = Date.now();
    const error = await failureOf(fetcher({ timeoutMs: 300 }).fetch({ url: `${site().url}/trickle` }));
    expect(error).toBeInstanceOf(FetchError);
    expect(error.reason).toBe("timeout");
    expect(error.code).toBe("TRAWL_ERR_FETCH_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("times out a server that is slow to answer", async () => {
    const error = await failureOf(fetcher({ timeoutMs: 200 }).fetch({ url: `${site().url}/delay/3000` }));
    expect(error.reason).toBe("timeout");
  });

  it("fails a huge body with too_large", async () => {
    const error = await failureOf(fetcher({ maxBodyBytes: 256 * 1024 }).fetch({ url: `${site().url}/huge` }));
    expect(error.reason).toBe("too_large");
    expect(isRetryable(DEFAULT_RETRY_POLICY, error)).toBe(false);
  });

  // The cap (2 MiB) is above each bomb's compressed size (< 1 MiB), so only the decoded-size check can stop it.
  it.each(["/bomb/gzip", "/bomb/deflate", "/bomb/br"])(
    "fails the decompression bomb %s with too_large",
    async (path) => {
      const error = await failureOf(
        fetcher({ maxBodyBytes: 2 * 1024 * 1024 }).fetch({ url: site().url + path }),
      );
      expect(error.reason).toBe("too_large");
    },
  );

  it("inflates a small enough compressed body", async () => {
    const page = await fetcher({ maxBodyBytes: 2 * 1024 * 1024 }).fetch({
      url: `${site().url}/bomb/gzip?mb=1`,
    });
    expect(page.bytes).toBe(1024 * 1024);
  });

  it("fails an endless redirect loop with redirect_limit", async () => {
    const error = await failureOf(fetcher({ maxRedirects: 4 }).fetch({ url: `${site().url}/redirect-loop` }));
    expect(error.reason).toBe("redirect_limit");
    expect(site().hits("/redirect-loop")).toBeGreaterThanOrEqual(5);
  });

  it("follows redirects up to the limit", async () => {
    const page = await fetcher({ maxRedirects: 3 }).fetch({ url: `${site().url}/redirect/3` });
    expect(page).toMatchObject({ status: 200, redirects: 3, finalUrl: `${site().url}/redirect/0` });
    expect(page.url).toBe(`${site().url}/redirect/3`);
  });

  it("fails a closed port with refused", async () => {
    const port = await closedPort();
    const error = await failureOf(fetcher().fetch({ url: `http://127.0.0.1:${port}/` }));
    expect(error.reason).toBe("refused");
    expect(isRetryable(DEFAULT_RETRY_POLICY, error)).toBe(true);
  });

  it("fails a dropped connection with reset", async () => {
    const error = await failureOf(fetcher().fetch({ url: `${site().url}/drop` }));
    expect(error.reason).toBe("reset");
  });

  it("fails a body shorter than its Content-Length with truncated", async () => {
    const error = await failureOf(fetcher().fetch({ url: `${site().url}/partial` }));
    expect(error.reason).toBe("truncated");
  });

  it("fails a 404 at once with http_404, not retried", async () => {
    const attempts: AttemptInfo[] = [];
    const f = fetcher({ retries: 3, onAttempt: (info) => attempts.push(info) });
    const error = await failureOf(f.fetch({ url: `${site().url}/status/404` }));
    expect(error).toMatchObject({
      reason: "http_404",
      status: 404,
      code: "TRAWL_ERR_FETCH_HTTP_404",
    });
    expect(isRetryable(DEFAULT_RETRY_POLICY, error)).toBe(false);
    expect(attempts).toHaveLength(1);
  });

  it("fails a persistent 500 with http_500 after every retry", async () => {
    const attempts: AttemptInfo[] = [];
    const f = fetcher({ retries: 2, onAttempt: (info) => attempts.push(info) });
    const error = await failureOf(f.fetch({ url: `${site().url}/status/500?run=retries` }));
    expect(error.reason).toBe("http_500");
    expect(site().hits("/status/500?run=retries")).toBe(3);
    expect(attempts.map((a) => [a.attempt, a.status, a.reason])).toEqual([
      [0, 500, "http_500"],
      [1, 500, "http_500"],
      [2, 500, "http_500"],
    ]);
  });

  it("resolves a status the caller accepts", async () => {
    const page = await fetcher({ acceptStatuses: [404] }).fetch({ url: `${site().url}/status/404` });
    expect(page.status).toBe(404);
  });

  it("rejects bad and over-long URLs without a request", async () => {
    const f = fetcher();
    expect((await failureOf(f.fetch({ url: "ftp://example.com/x" }))).reason).toBe("bad_url");
    expect((await failureOf(f.fetch({ url: "not a url" }))).reason).toBe("bad_url");
    const long = `${site().url}/ok?q=${"x".repeat(100)}`;
    expect((await failureOf(fetcher({ maxUrlLength: 50 }).fetch({ url: long }))).reason).toBe("url_too_long");
  });

  it("aborts at once when the caller's signal fires mid-request", async () => {
    const controller = new AbortController();
    const pending = fetcher({ timeoutMs: 10_000, retries: 3 }).fetch({
      url: `${site().url}/trickle`,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const error = await failureOf(pending);
    expect(error.reason).toBe("aborted");
  });
});
