/**
 * Politeness across the processes of one run (issue 17, item 4), on the suite's real PostgreSQL
 * and a real site that counts arrivals: processes crawling one run with `rate_per_host: 5` send
 * at most 5 requests a second to the host together (not 5 each), fetch its robots.txt once, and
 * all wait out a `Retry-After` one of them got.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sharedPoliteness } from "../../src/app/shared-politeness.ts";
import { ManualClock } from "../../src/core/index.ts";
import { AdaptiveRateLimiter, createHttpFetcher, type HttpFetcher } from "../../src/fetch/index.ts";
import { openPgStore, type Store } from "../../src/store/index.ts";
import { startCountingSite, type CountingSite } from "../fixtures/counting-site.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";

const CHILD = fileURLToPath(new URL("../fixtures/polite-fetcher.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url));

let db: TestDatabase;
let store: Store;
let site: CountingSite;
let runId: string;

beforeAll(async () => {
  db = await freshDatabase("host_gates");
  store = await openPgStore(db.url);
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

beforeEach(async () => {
  site = await startCountingSite();
  const run = {
    scraper: "polite",
    source: null,
    definitionHash: "h",
    targets: [],
    steps: [],
    breakpoints: [],
  };
  runId = (await store.runs.create(run, Date.now())).id;
});

afterEach(async () => {
  await site.close();
});

/** One line a child printed per URL. */
interface Fetched {
  url: string;
  status?: number;
  reason?: string;
}

/**
 * Runs one child process per URL list (test/fixtures/polite-fetcher.ts: its own database pool,
 * the run's fetcher as a worker makes it), lets them all start at once, and gives what they
 * fetched.
 */
async function crawlInProcesses(lists: string[][], rate: number): Promise<Fetched[]> {
  const children = lists.map((urls) =>
    spawn(process.execPath, ["--import", "tsx", CHILD, runId, String(rate), ...urls], {
      cwd: REPO,
      env: { ...process.env, TRAWL_TEST_GATE_DB: db.url },
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const fetched: Fetched[] = [];
  const errors: string[] = [];
  const ready = children.map((child) => {
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    return new Promise<void>((resolve) =>
      lines.on("line", (line) => (line === "ready" ? resolve() : fetched.push(JSON.parse(line) as Fetched))),
    );
  });
  const exits = children.map((child) => once(child, "exit") as Promise<[number | null]>);
  await Promise.race([Promise.all(ready), Promise.all(exits)]);
  for (const child of children) child.stdin.write("go\n");
  const codes = (await Promise.all(exits)).map(([code]) => code);
  expect({ codes, errors: errors.join("") }).toEqual({ codes: lists.map(() => 0), errors: "" });
  return fetched;
}

/** The site's arrivals in ms from `from` (the first arrival by default): what a failure shows. */
function timeline(site: CountingSite, from = site.arrivals()[0]?.at ?? 0): string {
  return site
    .arrivals()
    .map((a) => a.at - from)
    .join(", ");
}

describe("politeness shared by the processes of a run", () => {
  it("keeps rate_per_host for four processes together and fetches robots.txt once", async () => {
    const lists = [1, 2, 3, 4].map((child) => [
      `${site.url}/private/${child}`,
      ...[1, 2, 3, 4].map((page) => `${site.url}/p/${child}-${page}`),
    ]);
    const fetched = await crawlInProcesses(lists, 5);

    expect(fetched.filter((f) => f.status === 200)).toHaveLength(16);
    // One process read the rules; every process obeys them.
    expect(site.hits("/robots.txt")).toBe(1);
    expect(fetched.filter((f) => f.reason === "robots").map((f) => f.url)).toHaveLength(4);
    expect(site.arrivals().filter((a) => a.path.startsWith("/private"))).toEqual([]);
    // 5 a second, and one more where a window's edge meets a request: not 4 × 5.
    expect(site.busiest(1000), `arrivals (ms): ${timeline(site)}`).toBeLessThanOrEqual(6);
  }, 60_000);

  it("asks the database once per request at most, once per batch for a fast host", async () => {
    const own = await openPgStore(db.url);
    const gates = sharedPoliteness(own.hostGates!, runId);
    const reservations: number[] = [];
    const fetcher = createHttpFetcher({
      ratePerHost: 1000,
      obeyRobots: false,
      shared: {
        ...gates,
        reserve: (host, spanMs) => (reservations.push(spanMs), gates.reserve(host, spanMs)),
      },
    });
    try {
      const urls = Array.from({ length: 200 }, (_, i) => `${site.url}/fast/${i}`);
      const sixteen = Array.from({ length: 16 }, async () => {
        for (let url = urls.shift(); url !== undefined; url = urls.shift()) await fetcher.fetch({ url });
      });
      await Promise.all(sixteen);
    } finally {
      await fetcher.close();
      await own.close();
    }
    expect(site.arrivals()).toHaveLength(200);
    // Up to 50 ms of a 1,000/s host's requests per round trip (16 wait at a time here).
    expect(reservations.length).toBeLessThan(200 / 4);
    expect(reservations.reduce((sum, span) => sum + span, 0)).toBeGreaterThanOrEqual(200);
  });

  it("cuts a shared host's pace by a factor, not to this process's share of its answers", async () => {
    const own = await openPgStore(db.url);
    const clock = new ManualClock(1_000_000);
    const alone = new AdaptiveRateLimiter({ initialRate: 20, clock });
    const shared = new AdaptiveRateLimiter({
      initialRate: 20,
      clock,
      shared: sharedPoliteness(own.hostGates!, runId),
    });
    try {
      // 2 answers a second for 30 s: what one of four workers sees of a host serving 8.
      for (let answer = 0; answer < 60; answer++) {
        clock.advance(500);
        for (const limiter of [alone, shared]) limiter.onResponse("h.test", 200);
      }
      for (const limiter of [alone, shared]) limiter.onResponse("h.test", 429);
      // Alone, the answers are the host's: cut to its goodput. Shared, to 0.7 × 0.7 of the pace.
      expect(alone.stats()[0]!.rate).toBeCloseTo(2);
      expect(shared.stats()[0]!.rate).toBeCloseTo(20 * 0.49);
    } finally {
      alone.close();
      shared.close();
      await own.close();
    }
  });

  it("gives up a slot it woke too late for (once), rather than crowd the next process's", async () => {
    const own = await openPgStore(db.url);
    const gates = sharedPoliteness(own.hostGates!, runId);
    const clock = new ManualClock(1_000_000);
    let reservations = 0;
    const limiter = new AdaptiveRateLimiter({
      initialRate: 5,
      clock,
      shared: { ...gates, reserve: (host, spanMs) => (reservations++, gates.reserve(host, spanMs)) },
    });
    /** Lets the pump's round trips to the database complete. */
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    try {
      await limiter.acquire("late.test");
      let granted = false;
      const second = limiter.acquire("late.test").then(() => (granted = true));
      await settle();
      // Its slot was about 200 ms on; it wakes 400 ms on (a busy process): given up, another reserved.
      clock.advance(400);
      await settle();
      expect({ granted, reservations }).toEqual({ granted: false, reservations: 3 });
      // The next one is used however late.
      clock.advance(2000);
      await second;
      expect(reservations).toBe(3);
    } finally {
      limiter.close();
      await own.close();
    }
  });

  it("holds every process back while a Retry-After one of them got runs", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openPgStore(db.url)));
    const fetchers: HttpFetcher[] = stores.map((own) =>
      createHttpFetcher({
        ratePerHost: 5,
        obeyRobots: false,
        retries: 2,
        shared: sharedPoliteness(own.hostGates!, runId),
      }),
    );
    try {
      site.throttle(4, 2);
      await Promise.all(
        fetchers.map(async (fetcher, n) => {
          const pending = [1, 2, 3, 4, 5].map((page) => `${site.url}/q/${n}-${page}`);
          const next = async (): Promise<void> => {
            const url = pending.shift();
            if (url === undefined) return;
            expect((await fetcher.fetch({ url })).status).toBe(200);
            return next();
          };
          await Promise.all([next(), next()]);
        }),
      );
    } finally {
      await Promise.all(fetchers.map((fetcher) => fetcher.close()));
      await Promise.all(stores.map((own) => own.close()));
    }

    const throttledAt = site.throttledAt()!;
    expect(throttledAt).toBeDefined();
    const during = site.arrivals().filter((a) => a.at > throttledAt && a.at < throttledAt + 1950);
    // Every process hears the block at once (NOTIFY), before the next slot (200 ms on): nothing
    // but a request already on its way, not even the slots reserved before the block. Without
    // the shared block the other two went on at 5 a second (8 in these 2 s); without hearing
    // it, their slots reserved before it went out (2, at 200 and 400 ms).
    const seen = `arrivals (ms from the 429): ${timeline(site, throttledAt)}`;
    expect(
      during.filter((a) => a.at >= throttledAt + 100),
      seen,
    ).toEqual([]);
    expect(site.busiest(1000), seen).toBeLessThanOrEqual(6);
  }, 60_000);
});
