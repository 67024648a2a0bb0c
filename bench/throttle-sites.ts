/**
 * Local sites that throttle, for the throttling scenarios of `npm run bench`
 * (bench/throttle-bench.ts): each a node:http server on 127.0.0.1, port 0, answering a small page
 * or a 429, and counting what it answered.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a site answers to one request. */
export interface Answer {
  status: 200 | 429;
  /** `Retry-After` in seconds, sent with a 429 when set. */
  retryAfter?: number;
}

/** The rule of a throttling site: the answer to a request arriving `atMs` after the site started. */
export type ThrottleRule = (atMs: number) => Answer;

/** A running site and what it answered so far. */
export interface ThrottleSite {
  /** Base URL without trailing slash. */
  url: string;
  /** Requests answered 200 and 429. */
  counts(): { ok: number; throttled: number };
  close(): Promise<void>;
}

/** Numbers in [0, 1) from a seed: the same throttled requests on every run of the bench. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** A site that answers 429 to `share` of requests whatever the pace (the first site). */
export function fixedShare(share: number, retryAfter: number | undefined, seed = 12): ThrottleRule {
  const next = seeded(seed);
  return () => (next() < share ? throttled(retryAfter) : { status: 200 });
}

/**
 * A site that serves `rate` requests/s and answers 429 beyond: a token bucket holding one second
 * of requests, refilled continuously; from `untilMs` on it stops throttling.
 */
export function tokenBucket(rate: number, retryAfter: number | undefined, untilMs = Infinity): ThrottleRule {
  let tokens = rate;
  let at = 0;
  return (atMs) => {
    if (atMs >= untilMs) return { status: 200 };
    tokens = Math.min(rate, tokens + ((atMs - at) * rate) / 1000);
    at = atMs;
    if (tokens < 1) return throttled(retryAfter);
    tokens -= 1;
    return { status: 200 };
  };
}

/** A site that never throttles. */
export const never: ThrottleRule = () => ({ status: 200 });

function throttled(retryAfter: number | undefined): Answer {
  return retryAfter === undefined ? { status: 429 } : { status: 429, retryAfter };
}

const PAGE = "<html><head><title>item</title></head><body><h1>item</h1></body></html>";

/** Starts a site answering by `rule`. */
export async function startThrottleSite(rule: ThrottleRule): Promise<ThrottleSite> {
  const started = Date.now();
  let ok = 0;
  let throttledCount = 0;
  const server = http.createServer((req, res) => {
    if (req.url === "/robots.txt") return void res.writeHead(404).end();
    const answer = rule(Date.now() - started);
    if (answer.status === 200) {
      ok++;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      return;
    }
    throttledCount++;
    const headers = answer.retryAfter === undefined ? {} : { "retry-after": String(answer.retryAfter) };
    res.writeHead(429, { "content-type": "text/plain", ...headers }).end("slow down");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ok, throttled: throttledCount }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
