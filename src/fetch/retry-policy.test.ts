import { describe, expect, it } from "vitest";
import { FetchError, httpStatusError } from "./errors.ts";
import { DEFAULT_RETRY_POLICY, decideRetry, isRetryable, retryDelay } from "./retry-policy.ts";

const policy = { ...DEFAULT_RETRY_POLICY, retries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe("retryDelay", () => {
  it("retries network failures and retryable statuses with full-jitter exponential backoff", () => {
    expect(retryDelay(policy, { reason: "timeout" }, 0, () => 0.5)).toBe(50);
    expect(retryDelay(policy, { reason: "reset" }, 1, () => 0.999)).toBe(199);
    expect(retryDelay(policy, { reason: "http_503", status: 503 }, 2, () => 1)).toBe(400);
    expect(retryDelay({ ...policy, retries: 10 }, { reason: "truncated" }, 8, () => 1)).toBe(1000);
  });

  it("gives up when retries are spent", () => {
    expect(retryDelay(policy, { reason: "timeout" }, 3)).toBeNull();
  });

  it("does not retry permanent failures", () => {
    for (const failure of [
      { reason: "http_404" as const, status: 404 },
      { reason: "too_large" as const },
      { reason: "robots" as const },
      { reason: "dns" as const },
      { reason: "timeout" as const, retryable: false },
    ]) {
      expect(retryDelay(policy, failure, 0), failure.reason).toBeNull();
    }
  });

  it("honours the error's own retryable verdict for unlisted reasons", () => {
    expect(retryDelay(policy, { reason: "dns", retryable: true }, 0, () => 0)).toBe(0);
  });

  it("waits at least Retry-After, and gives up when it is too long", () => {
    expect(retryDelay(policy, { reason: "http_429", status: 429, retryAfterMs: 5000 }, 0, () => 0.1)).toBe(
      5000,
    );
    const tooLong = { reason: "http_429" as const, status: 429, retryAfterMs: policy.maxRetryAfterMs + 1 };
    expect(retryDelay(policy, tooLong, 0)).toBeNull();
  });
});

describe("decideRetry", () => {
  it("says what the wait is, and why it gives up", () => {
    const slow = { reason: "http_429" as const, status: 429, retryAfterMs: 5000 };
    expect(decideRetry(policy, slow, 0, () => 0.1)).toEqual({
      retry: true,
      delayMs: 5000,
      basis: "retry-after",
      ceilingMs: 100,
    });
    expect(decideRetry(policy, { reason: "timeout" }, 1, () => 0.5)).toEqual({
      retry: true,
      delayMs: 100,
      basis: "backoff",
      ceilingMs: 200,
    });
    expect(decideRetry(policy, { reason: "timeout" }, 3)).toEqual({ retry: false, why: "spent" });
    expect(decideRetry(policy, { reason: "http_404", status: 404 }, 3)).toEqual({
      retry: false,
      why: "permanent",
    });
    const tooLong = { ...slow, retryAfterMs: policy.maxRetryAfterMs + 1 };
    expect(decideRetry(policy, tooLong, 0)).toEqual({ retry: false, why: "retry-after" });
  });
});

describe("isRetryable: the one authority on what retries", () => {
  const url = "http://example.com/";

  it("retries the statuses of the policy and nothing else: 501 and 403 are not retried by default", () => {
    expect(isRetryable(DEFAULT_RETRY_POLICY, httpStatusError(503, url))).toBe(true);
    expect(isRetryable(DEFAULT_RETRY_POLICY, httpStatusError(429, url))).toBe(true);
    expect(isRetryable(DEFAULT_RETRY_POLICY, httpStatusError(501, url))).toBe(false);
    expect(isRetryable(DEFAULT_RETRY_POLICY, httpStatusError(505, url))).toBe(false);
    expect(isRetryable(DEFAULT_RETRY_POLICY, httpStatusError(403, url))).toBe(false);
    expect(decideRetry(DEFAULT_RETRY_POLICY, httpStatusError(501, url), 0)).toEqual({
      retry: false,
      why: "permanent",
    });
  });

  it("retries a status once the policy lists it, and stops retrying one it drops", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, retryStatuses: [403, 429] };
    expect(isRetryable(policy, httpStatusError(403, url))).toBe(true);
    expect(decideRetry(policy, httpStatusError(403, url), 0, () => 0)).toMatchObject({ retry: true });
    expect(isRetryable(policy, httpStatusError(503, url))).toBe(false);
  });

  it("lets a failure's own verdict win over the lists", () => {
    expect(isRetryable(DEFAULT_RETRY_POLICY, new FetchError("timeout", "t", { retryable: false }))).toBe(
      false,
    );
    expect(isRetryable(DEFAULT_RETRY_POLICY, new FetchError("dns", "d", { retryable: true }))).toBe(true);
    expect(isRetryable(DEFAULT_RETRY_POLICY, new FetchError("dns", "d"))).toBe(false);
  });
});
