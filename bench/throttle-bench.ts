/**
 * The throttling scenarios of `npm run bench` (issue 12 §1): trawl's HTTP fetcher (its per-host
 * rate limiter and retries, as a run uses them) crawls local sites that throttle, with 16
 * requests in flight, and the figures are checked against the issue's goals:
 * - a site answering 429 with `Retry-After: 1` to 2 % of requests whatever the pace, at
 *   `rate_per_host: 10`: at least 75 % of the pace of honouring each wait exactly;
 * - a site serving R = 5 requests/s (429 beyond, with and without `Retry-After: 1`), at
 *   `rate_per_host: 20`: at least 75 % of R, under 5 % of requests answered 429;
 * - a site that throttles to 2/s for 30 s, then stops: the rate back at `rate_per_host` (10)
 *   within 30 s; meanwhile another host, crawled by the same fetcher, keeps its full pace.
 * The scenarios run side by side (they use little CPU) for `--seconds` each (default 90: a long
 * crawl's pace, not only its first seconds of finding the site's limit; the recovery scenario
 * takes 65 s). Alone: `node --import tsx bench/throttle-bench.ts
 * [--seconds N]`. Reports, never fails on a goal. See bench/README.md.
 */
import { setMaxListeners } from "node:events";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { createHttpFetcher } from "../src/fetch/index.ts";
import type { HttpFetcher } from "../src/fetch/index.ts";
import { fixedShare, never, startThrottleSite, tokenBucket } from "./throttle-sites.ts";
import type { ThrottleRule, ThrottleSite } from "./throttle-sites.ts";

/** Requests in flight per crawl, as the crawl bench's runs. */
const WORKERS = 16;
/** How long the recovery scenario's site throttles, and how long it is watched after. */
const THROTTLE_MS = 30_000;
const WATCH_MS = 35_000;
/** The share of requests the first site answers 429, whatever the pace. */
const FIXED_SHARE = 0.02;

/** What one crawl of a site got. */
interface Crawled {
  pages: number;
  seconds: number;
  /** 200 and 429 answers, counted by the site. */
  ok: number;
  throttled: number;
  /** The limiter's view of the host when the crawl ended. */
  limiter: { rate: number; maxRate?: number; throttled: number; blockedMs?: number } | undefined;
}

/** The fetcher a run with `rate_per_host: rate` uses (robots aside: the sites have none). */
function fetcherAt(rate: number): HttpFetcher {
  return createHttpFetcher({ ratePerHost: rate, obeyRobots: false });
}

/** Fetches distinct pages of `site` with `workers` requests in flight until `ms` have passed. */
async function crawl(
  fetcher: HttpFetcher,
  site: ThrottleSite,
  ms: number,
  workers = WORKERS,
): Promise<Crawled> {
  const started = Date.now();
  const stop = new AbortController();
  // Every request in flight or waiting listens to the crawl's one signal, as a run's do.
  setMaxListeners(4 * workers, stop.signal);
  const timer = setTimeout(() => stop.abort(), ms);
  let next = 0;
  let pages = 0;
  const worker = async () => {
    while (!stop.signal.aborted) {
      try {
        await fetcher.fetch({ url: `${site.url}/item/${next++}`, signal: stop.signal });
        pages++;
      } catch {
        // A page given up after its retries, or the end of the crawl: the next one.
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  clearTimeout(timer);
  const host = new URL(site.url).host;
  return {
    pages,
    seconds: (Date.now() - started) / 1000,
    ...site.counts(),
    limiter: fetcher.hostStats().find((s) => s.host === host),
  };
}

/** Starts a site, crawls it with a fresh fetcher at `rate`, closes both. */
async function scenario(rule: ThrottleRule, rate: number, ms: number): Promise<Crawled> {
  const site = await startThrottleSite(rule);
  const fetcher = fetcherAt(rate);
  try {
    return await crawl(fetcher, site, ms);
  } finally {
    await fetcher.close();
    await site.close();
  }
}

/** The recovery scenario, with a second host beside it on the same fetcher. */
interface Recovery {
  /** Seconds from the site's last throttle until the host's rate was back at its maximum; null: never. */
  backAfterSeconds: number | null;
  /** Pages/s of the throttling host over the last 10 s watched. */
  lastPagesPerSecond: number;
  /** The other host, crawled at the same time by the same fetcher. */
  other: Crawled;
  throttled: Crawled;
}

async function recoveryScenario(): Promise<Recovery> {
  const throttling = await startThrottleSite(tokenBucket(2, 1, THROTTLE_MS));
  const calm = await startThrottleSite(never);
  const fetcher = fetcherAt(10);
  const host = new URL(throttling.url).host;
  let backAt: number | null = null;
  const samples: { at: number; ok: number }[] = [];
  const started = Date.now();
  const poll = setInterval(() => {
    const at = Date.now() - started;
    samples.push({ at, ok: throttling.counts().ok });
    const rate = fetcher.hostStats().find((s) => s.host === host)?.rate ?? 0;
    if (backAt === null && at > THROTTLE_MS && rate >= 10) backAt = at;
  }, 100);
  try {
    const [throttled, other] = await Promise.all([
      crawl(fetcher, throttling, THROTTLE_MS + WATCH_MS, WORKERS / 2),
      crawl(fetcher, calm, THROTTLE_MS, WORKERS / 2),
    ]);
    const end = samples.at(-1)!;
    const tenBefore = samples.find((s) => s.at >= end.at - 10_000)!;
    return {
      backAfterSeconds: backAt === null ? null : (backAt - THROTTLE_MS) / 1000,
      lastPagesPerSecond: (end.ok - tenBefore.ok) / ((end.at - tenBefore.at) / 1000),
      other,
      throttled,
    };
  } finally {
    clearInterval(poll);
    await fetcher.close();
    await Promise.all([throttling.close(), calm.close()]);
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const pct = (part: number, whole: number) => `${fixed((100 * part) / whole)} %`;
const share = (c: Crawled) => c.throttled / Math.max(1, c.ok + c.throttled);
const pagesPerSecond = (c: Crawled) => c.pages / c.seconds;

/** The limiter's state as the run summary shows it: `rate 8.2 of 10, 12 × 429/503, blocked 12 s`. */
function limiterCell(c: Crawled): string {
  const l = c.limiter;
  if (!l) return "-";
  const max = l.maxRate === undefined ? "" : ` of ${fixed(l.maxRate, 0)}`;
  const blocked = l.blockedMs === undefined ? "" : `, blocked ${fixed(l.blockedMs / 1000)} s`;
  return `rate ${fixed(l.rate, 2)}${max}, ${l.throttled} × 429${blocked}`;
}

/** What the scenarios measured, as markdown with the goals checked. */
function report(
  fixedRun: Crawled,
  withWait: Crawled,
  withoutWait: Crawled,
  recovery: Recovery,
  seconds: number,
) {
  // Honouring each wait exactly at 10/s: a request every 0.1 s, and 1 s of wait per 429 (8.17/s).
  const honourPace = (1 - FIXED_SHARE) / (0.1 + FIXED_SHARE);
  const fixedRatio = pagesPerSecond(fixedRun) / honourPace;
  const bucketRows = [withWait, withoutWait].map((c) => pagesPerSecond(c) / 5);
  const met = (ok: boolean) => (ok ? "met" : "**not met**");
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    `## throttling: trawl's fetcher against sites that throttle, ${seconds} s each, ${WORKERS} requests in flight`,
    "",
    "| site | rate_per_host | pages/s | 429 share | limiter at the end | goal |",
    "|---|--:|--:|--:|---|---|",
    row([
      "2 % of requests 429, `Retry-After: 1`",
      "10",
      `${fixed(pagesPerSecond(fixedRun), 2)} (${pct(fixedRatio, 1)} of ${fixed(honourPace, 2)}, honouring each wait exactly)`,
      pct(fixedRun.throttled, fixedRun.ok + fixedRun.throttled),
      limiterCell(fixedRun),
      `≥ 75 % of the honour-exactly pace: ${met(fixedRatio >= 0.75)}`,
    ]),
    ...[withWait, withoutWait].map((c, i) =>
      row([
        `serves 5/s, 429 ${i === 0 ? "with `Retry-After: 1`" : "without Retry-After"} beyond`,
        "20",
        `${fixed(pagesPerSecond(c), 2)} (${pct(bucketRows[i]!, 1)} of 5)`,
        pct(c.throttled, c.ok + c.throttled),
        limiterCell(c),
        `≥ 75 % of 5/s, < 5 % 429: ${met(bucketRows[i]! >= 0.75 && share(c) < 0.05)}`,
      ]),
    ),
    row([
      "serves 2/s (429, `Retry-After: 1`) for 30 s, then everything",
      "10",
      `${fixed(recovery.lastPagesPerSecond, 2)} in its last 10 s`,
      pct(recovery.throttled.throttled, recovery.throttled.ok + recovery.throttled.throttled),
      `back at 10/s ${recovery.backAfterSeconds === null ? "never" : `${fixed(recovery.backAfterSeconds)} s`} after the last 429`,
      `back within 30 s: ${met(recovery.backAfterSeconds !== null && recovery.backAfterSeconds <= 30)}`,
    ]),
    row([
      "never throttles, crawled beside it by the same fetcher",
      "10",
      fixed(pagesPerSecond(recovery.other), 2),
      pct(recovery.other.throttled, recovery.other.ok + recovery.other.throttled),
      limiterCell(recovery.other),
      `not slowed (≥ 9.5/s): ${met(pagesPerSecond(recovery.other) >= 9.5)}`,
    ]),
    "",
    "- pages/s: pages fetched (a 429 retried after its wait, up to 3 times) per second of crawl; " +
      "429 share: of the requests the site answered",
    "",
  ].join("\n");
}

/** Runs every throttling scenario side by side and returns the markdown report. */
export async function throttleBench(seconds = 90): Promise<string> {
  const ms = seconds * 1000;
  const total = Math.max(seconds, (THROTTLE_MS + WATCH_MS) / 1000);
  process.stderr.write(`throttling scenarios: ${seconds} s each, side by side (about ${total} s)\n`);
  const [fixedRun, withWait, withoutWait, recovery] = await Promise.all([
    scenario(fixedShare(FIXED_SHARE, 1), 10, ms),
    scenario(tokenBucket(5, 1), 20, ms),
    scenario(tokenBucket(5, undefined), 20, ms),
    recoveryScenario(),
  ]);
  return report(fixedRun, withWait, withoutWait, recovery, seconds);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { seconds: { type: "string", default: "90" } } });
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds < 10)
    throw new Error(`--seconds needs an integer ≥ 10, got "${values.seconds}"`);
  process.stdout.write(await throttleBench(seconds));
}
