/**
 * Part 1 of the workers bench (issue 17): lease + complete operations per second on the
 * PostgreSQL request queue with 1, 2, 4 and 8 concurrent workers, store-level. Each worker is a
 * store of its own (its own pool, as on its own machine) that leases a batch of requests of one
 * shared run and completes them in batches (`completeMany`, as the crawl's completion batch does;
 * see {@link SHAPES}), each completion
 * as a product page of the link-heavy shape gives it: {@link RECORDS} records and
 * {@link LINKS} links, {@link NEW_LINKS} of them new, the rest URLs the run has already (pending,
 * leased or done). An operation is one request leased and completed.
 */
import { openPgStore, type Completion, type NewRequest, type Store } from "../src/store/index.ts";
import type { BenchPostgres } from "./bench-postgres.ts";

/** How a worker batches: requests leased at once, completions per `completeMany`. */
export interface BatchShape {
  lease: number;
  complete: number;
}

/**
 * The shapes measured: a crawl at concurrency 16 (it leases 16 at a time and completes what ends
 * within a few ms, about 8); a busy worker at concurrency 32, whose completion batch fills up
 * while the previous one commits.
 */
export const SHAPES: readonly BatchShape[] = [
  { lease: 16, complete: 8 },
  { lease: 32, complete: 32 },
];
/** Records per completed page (a product page yields one; a list page none; a detail page a few). */
const RECORDS = 2;
/** Links per completion that reach the store (the process's own seen-set drops the rest). */
const LINKS = 12;
/** Of which new to the run; the rest are duplicates other processes queued. */
const NEW_LINKS = 2;
/** Pending requests in the run before a round starts. */
const SEED = 5_000;
/** How long each round measures. */
const ROUND_MS = 3_000;
/** The goal, on 2 cores. */
export const OPS_GOAL = 5_000;

const ORIGIN = "https://shop.example";
const productUrl = (n: number) => `${ORIGIN}/p/${String(n).padStart(7, "0")}`;

/** What one worker count measured. */
export interface QueueOpsRow {
  workers: number;
  /** Operations per second of each round. */
  rounds: number[];
  median: number;
}

/** The shared run's URL space: seeded URLs, then each new link the next one. */
class UrlSpace {
  private next = SEED + 1;
  private seed = 12345;

  /** A random URL the run has already. */
  known(): string {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return productUrl(1 + (this.seed % (this.next - 1)));
  }

  fresh(): string {
    return productUrl(this.next++);
  }
}

function linksOf(urls: UrlSpace): NewRequest[] {
  const links = Array.from({ length: LINKS }, (_, i) => (i < NEW_LINKS ? urls.fresh() : urls.known()));
  return links.map((url) => ({ url, pageType: "product", target: "shop", depth: 2 }));
}

function recordsOf(url: string): Completion["records"] {
  return Array.from({ length: RECORDS }, (_, i) => ({
    target: "shop",
    data: {
      url,
      title: `Sturdy lantern ${i}`,
      price: 17.5 + i,
      sku: `LK-${url.slice(-7)}-${i}`,
      description: "A lantern for every season, with a handle and a hook.",
    },
  }));
}

/**
 * One worker until `until`: lease a batch, complete it in batches, its heartbeat renewing its
 * leases every second meanwhile, as a crawl's does; resolves to its operations.
 */
async function work(
  store: Store,
  runId: string,
  owner: string,
  urls: UrlSpace,
  until: number,
  shape: BatchShape,
) {
  let renewing: Promise<number> = Promise.resolve(0);
  const heartbeat = setInterval(() => (renewing = store.queue.renew(runId, owner, Date.now())), 1000);
  try {
    return await loop(store, runId, owner, urls, until, shape);
  } finally {
    clearInterval(heartbeat);
    await renewing;
  }
}

async function loop(
  store: Store,
  runId: string,
  owner: string,
  urls: UrlSpace,
  until: number,
  shape: BatchShape,
) {
  let ops = 0;
  while (performance.now() < until) {
    const leased = await store.queue.lease(runId, owner, shape.lease, Date.now());
    for (let i = 0; i < leased.length; i += shape.complete) {
      const completions = leased.slice(i, i + shape.complete).map((request): Completion => ({
        requestId: request.id,
        url: request.url,
        outcome: { ok: true, httpStatus: 200 },
        records: recordsOf(request.url),
        links: linksOf(urls),
        ...(request.epoch !== undefined && { epoch: request.epoch }),
      }));
      const added = await store.queue.completeMany(runId, completions, Date.now());
      ops += added.filter((n) => n >= 0).length;
    }
  }
  return ops;
}

/** One round with `workers` workers in a fresh database: operations per second. */
async function round(server: BenchPostgres, workers: number, shape: BatchShape): Promise<number> {
  const url = await server.freshDatabase(`ops${workers}`);
  const stores = await Promise.all(
    Array.from({ length: workers }, () => openPgStore(url, { maxConnections: 2 })),
  );
  try {
    const run = await stores[0]!.runs.create(
      {
        scraper: "bench",
        source: null,
        definitionHash: "bench",
        targets: ["shop"],
        steps: [{ name: "crawl", kind: "crawl" }],
        breakpoints: [],
      },
      Date.now(),
    );
    const urls = new UrlSpace();
    const seed = Array.from({ length: SEED }, (_, i) => ({
      url: productUrl(i + 1),
      pageType: "product",
      target: "shop",
      depth: 1,
    }));
    await stores[0]!.queue.enqueue(run.id, seed, Date.now());
    const start = performance.now();
    const until = start + ROUND_MS;
    const ops = await Promise.all(
      stores.map((store, i) => work(store, run.id, `worker-${i}`, urls, until, shape)),
    );
    const seconds = (performance.now() - start) / 1000;
    return ops.reduce((a, b) => a + b, 0) / seconds;
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Every worker count `rounds` times, the counts' order turned each round; rows by worker count. */
export async function queueOpsBench(
  server: BenchPostgres,
  counts: readonly number[],
  rounds: number,
  shape: BatchShape,
): Promise<QueueOpsRow[]> {
  const results = new Map<number, number[]>(counts.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = counts.map((_, i) => counts[(i + r) % counts.length]!);
    for (const workers of order) {
      const opsPerSecond = await round(server, workers, shape);
      process.stderr.write(
        `  queue ops ${shape.lease}/${shape.complete}, round ${r + 1}/${rounds}, ${workers} workers: ${opsPerSecond.toFixed(0)}/s\n`,
      );
      results.get(workers)!.push(opsPerSecond);
    }
  }
  return counts.map((workers) => {
    const values = results.get(workers)!;
    return { workers, rounds: values, median: median(values) };
  });
}

/** The part's markdown. */
export function queueOpsReport(rows: readonly QueueOpsRow[], shape: BatchShape): string[] {
  const lines = [
    `### lease + complete operations per second (store-level, leases of ${shape.lease}, completions in batches of ${shape.complete}, ${RECORDS} records and ${LINKS} links of which ${NEW_LINKS} new each)`,
    "",
    "| workers | ops/s (median) | rounds | goal ≥ 5,000/s |",
    "| --: | --: | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${row.workers} | ${row.median.toFixed(0)} | ${row.rounds.map((v) => v.toFixed(0)).join(", ")} | ${row.median >= OPS_GOAL ? "met" : "NOT met"} |`,
    ),
  ];
  return lines;
}
