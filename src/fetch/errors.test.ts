import { describe, expect, it } from "vitest";
import { TrawlError } from "../core/index.ts";
import { FetchError, httpStatusError, toFetchError } from "./errors.ts";
import { DEFAULT_RETRY_POLICY, isRetryable } from "./retry-policy.ts";
import { parseRetryAfter } from "./retry-after.ts";

const url = "http://example.com/";
const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("FetchError", () => {
  it("derives its code from the reason, and leaves retrying to the retry policy", () => {
    const error = httpStatusError(503, url, 1000);
    expect(error).toBeInstanceOf(TrawlError);
    expect(error).toMatchObject({ code: "TRAWL_ERR_FETCH_HTTP_503", status: 503, retryAfterMs: 1000 });
    expect(error.retryable).toBeUndefined();
    expect(new FetchError("robots", "no", { retryable: false }).retryable).toBe(false);
  });
});

describe("toFetchError", () => {
  it.each([
    ["ENOTFOUND", "connect", "dns", false],
    ["EAI_AGAIN", "connect", "dns", true],
    ["ECONNREFUSED", "connect", "refused", true],
    ["ECONNRESET", "connect", "reset", true],
    ["UND_ERR_SOCKET", "connect", "reset", true],
    ["UND_ERR_SOCKET", "body", "truncated", true],
    ["UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "body", "truncated", true],
    ["UND_ERR_HEADERS_TIMEOUT", "connect", "timeout", true],
    ["Z_DATA_ERROR", "body", "decode", false],
    ["EWHATEVER", "connect", "network", true],
  ] as const)("%s during %s → %s (retried by default: %s)", (code, phase, reason, retried) => {
    const error = toFetchError(withCode(code), { url, phase });
    expect(error).toMatchObject({ reason, url });
    expect(isRetryable(DEFAULT_RETRY_POLICY, error)).toBe(retried);
  });

  it("finds codes in causes and aggregate errors", () => {
    const nested = new Error("fetch failed", { cause: withCode("ECONNREFUSED") });
    expect(toFetchError(nested, { url, phase: "connect" }).reason).toBe("refused");
    const aggregate = new AggregateError([withCode("ECONNREFUSED")], "all failed");
    expect(toFetchError(aggregate, { url, phase: "connect" }).reason).toBe("refused");
    expect(toFetchError(new Error("other side closed"), { url, phase: "connect" }).reason).toBe("reset");
  });

  it("lets the deadline and the caller's abort win, and passes FetchErrors through", () => {
    const aborted = withCode("UND_ERR_ABORTED");
    expect(toFetchError(aborted, { url, phase: "body", timedOut: true }).reason).toBe("timeout");
    expect(toFetchError(aborted, { url, phase: "body", aborted: true }).reason).toBe("aborted");
    const original = new FetchError("robots", "no");
    expect(toFetchError(original, { url, phase: "connect", timedOut: true })).toBe(original);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
  });
  it("ignores missing and malformed values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
