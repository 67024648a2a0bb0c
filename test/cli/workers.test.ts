/**
 * Issue 17's promise across machines: a `trawl run` on PostgreSQL and three `trawl worker`
 * processes (each with its own data directory, as on its own machine) crawl 2,200 pages of one
 * run while a random worker is SIGKILLed every second or two and started again, and another is
 * SIGSTOPped past its lease and continued, and the coordinator is killed once and the run resumed
 * on another machine: the run ends with exactly the records of the site, each once, and every
 * request done once. And pause, resume and cancel reach a worker at once
 * (through the database's notifications), whose share of the run follows it; and four processes
 * crawling one host keep its `rate_per_host` together and all wait out a `Retry-After`, and the
 * run's summary counts what each of them did through a proxy. A worker serves its own metrics,
 * slows down under memory pressure, and scales `concurrency: auto` itself.
 */
import { readFileSync } from "node:fs";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { startCountingSite } from "../fixtures/counting-site.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";
import { startProxy } from "../e2e/proxy-servers.ts";
import { parseMetrics } from "../observe/prometheus-text.ts";
import { makeWorkDir, parseJson, runCli, startCli, type CliProcess } from "./run-cli.ts";

/** List pages: each links ten items and two more lists (a tree), 200 of them; 2,000 items. */
const LISTS = 200;
const ITEMS_PER_LIST = 10;
/** Every answer waits this long, so that the crawl is latency-bound and lasts through the kills. */
const LATENCY_MS = 80;
/** A lease outlives its worker by this much: kept short so that a killed worker's pages come back soon. */
const LEASE_SECONDS = "2";

let site: FaultSite;
let database: TestDatabase;

function later(res: ServerResponse, html: string): void {
  setTimeout(() => void res.writeHead(200, { "content-type": "text/html" }).end(html), LATENCY_MS);
}

beforeAll(async () => {
  site = await startFaultSite({
    routes: {
      "/list": (req, res) => {
        const p = Number(new URL(req.url!, "http://x").searchParams.get("p"));
        const items = Array.from(
          { length: ITEMS_PER_LIST },
          (_, k) => `<a class="item" href="/item?id=${p * ITEMS_PER_LIST + k}">item</a>`,
        );
        const lists = [2 * p + 1, 2 * p + 2].filter((n) => n < LISTS);
        later(res, [...items, ...lists.map((n) => `<a class="list" href="/list?p=${n}">more</a>`)].join(""));
      },
      "/item": (req, res) => {
        const id = new URL(req.url!, "http://x").searchParams.get("id");
        later(res, `<h1>${id}</h1><p class="name">Item number ${id}</p>`);
      },
    },
  });
  database = await freshDatabase("workers");
});

afterAll(async () => {
  await site?.close();
  await database?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("workers on one PostgreSQL", () => {
  it("refuse the SQLite file of a data directory: exit 2, named", async () => {
    const { home } = await makeWorkDir();
    const refused = await runCli(["worker"], { home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("trawl worker needs the PostgreSQL database the other machines use");
    expect(refused.stderr).not.toContain("serving");
  });

  it("crawl one run while workers are killed and frozen: every record once, every request done once", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await treeDefinition(dir);
    const env = { TRAWL_DATABASE_URL: database.url, TRAWL_LEASE_SECONDS: LEASE_SECONDS };
    // The process executing the run; killed once and resumed from another machine.
    let coordinator = startCli(["run", file, "--json"], { home, env, timeoutMs: 180_000 });
    await coordinator.waitForStderr(/run RUN-/);

    let started = 0;
    /** A worker on a machine of its own, once it has joined the run. */
    const worker = async (): Promise<CliProcess> => {
      const workerHome = join(dir, `machine-${++started}`);
      await mkdir(workerHome);
      const process = startCli(["worker"], { home: workerHome, env, timeoutMs: 180_000 });
      // Unless the crawl ends first: then there is nothing left to join.
      await Promise.race([process.waitForStderr(/joined run/), coordinator.result]);
      return process;
    };
    const workers = await Promise.all([worker(), worker(), worker()]);
    // The fleet as any machine sees it: the three workers and the coordinator, serving the run.
    const runId = (await coordinator.waitForStderr(/run (RUN-\S+)/))[1]!;
    await expect
      .poll(
        async () => {
          const { workers: fleet } = parseJson<{ workers: { kind: string; runs: string[] }[] }>(
            await runCli(["workers", "--json"], { home, env }),
          );
          return fleet
            .filter((w) => w.runs.includes(runId))
            .map((w) => w.kind)
            .sort();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toEqual(["run", "worker", "worker", "worker"]);
    let kills = 0;
    let frozen = false;
    let resumed = false;
    let finished = false;
    const follow = (process: CliProcess) =>
      void process.result.then(() => (finished = process === coordinator));
    follow(coordinator);
    while (!finished) {
      await sleep(500 + Math.random() * 1500);
      if (finished) break;
      const index = Math.floor(Math.random() * workers.length);
      const victim = workers[index]!;
      if (!frozen && kills >= 1) {
        // Frozen well past its lease, its requests go to the others; continued, its late
        // completions are refused.
        frozen = true;
        victim.child.kill("SIGSTOP");
        await sleep(Number(LEASE_SECONDS) * 1000 * 2.5);
        victim.child.kill("SIGCONT");
        continue;
      }
      if (frozen && !resumed) {
        // The coordinator dies too: the run is resumed on another machine, the workers go on.
        resumed = true;
        coordinator.child.kill("SIGKILL");
        await coordinator.result;
        coordinator = startCli(["resume", runId, "--json"], {
          home: join(dir, "machine-resume"),
          env,
          timeoutMs: 180_000,
        });
        // (The killed one's end said the crawl was over: it is not.)
        finished = false;
        follow(coordinator);
        continue;
      }
      victim.child.kill("SIGKILL");
      await victim.result;
      kills++;
      workers[index] = await worker();
    }
    const result = await coordinator.result;
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as { id: string; status: string };
    expect(run.status).toBe("succeeded");
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(frozen && resumed).toBe(true);
    // Stopped cleanly once started (a worker killed while it boots has nothing to lose).
    await Promise.all(workers.map((w) => w.waitForStderr(/serving every running run/)));
    for (const w of workers) w.child.kill("SIGTERM");
    const ended = await Promise.all(workers.map((w) => w.result));
    for (const end of ended) expect(end.code, end.stderr).toBe(0);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const requests = await client.query<{ state: string; n: number }>(
        `SELECT state, count(*)::int AS n FROM requests WHERE run_id = $1 GROUP BY state`,
        [run.id],
      );
      expect(requests.rows).toEqual([{ state: "done", n: LISTS + LISTS * ITEMS_PER_LIST }]);
      // The workers did their share: each keeps the statistics of its share apart (a killed one's
      // last second or two aside), and the run's fetch statistics add them to its coordinator's.
      const stored = await client.query<{ stats: string }>(`SELECT stats FROM runs WHERE id = $1`, [run.id]);
      const own = JSON.parse(stored.rows[0]!.stats) as { requests: number };
      const shares = await client.query<{ stats: string }>(
        `SELECT stats FROM run_share_stats WHERE run_id = $1`,
        [run.id],
      );
      const byWorkers = shares.rows.reduce(
        (sum, row) => sum + (JSON.parse(row.stats) as { requests: number }).requests,
        0,
      );
      expect(byWorkers).toBeGreaterThan(100);
      const shown = parseJson<{ stats: { requests: number } }>(
        await runCli(["show", run.id, "--json"], { home, env }),
      );
      expect(shown.stats.requests).toBe(own.requests + byWorkers);
      const records = await client.query<{ data: string }>(
        `SELECT data FROM records WHERE run_id = $1 AND stage = 0`,
        [run.id],
      );
      const ids = records.rows
        .map((row) => (JSON.parse(row.data) as { id: number }).id)
        .sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: LISTS * ITEMS_PER_LIST }, (_, i) => i));
      expect(records.rows.map((row) => JSON.parse(row.data) as unknown)).toContainEqual({
        id: 1234,
        name: "Item number 1234",
      });
    } finally {
      await client.end();
    }
  }, 240_000);

  it("hear pause, resume and cancel from the CLI at once, and follow the run; serve their own metrics", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await treeDefinition(dir);
    const env = { TRAWL_DATABASE_URL: database.url };
    const coordinator = startCli(["run", file], { home, env, timeoutMs: 120_000 });
    const runId = (await coordinator.waitForStderr(/run (RUN-\S+)/))[1]!;
    const machine = join(dir, "machine");
    const worker = startCli(["worker", "--runs", runId, "--metrics-port", "0"], {
      home: machine,
      env,
      timeoutMs: 120_000,
    });
    const [, metricsUrl] = await worker.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    await worker.waitForStderr(/joined run/);
    // The worker's own requests, pages and rate limiters, for its data directory's access token.
    const token = readFileSync(join(machine, "access-token"), "utf8").trim();
    const scrape = async () =>
      parseMetrics(
        await (
          await fetch(`${metricsUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })
        ).text(),
      );
    let metrics = await scrape();
    for (let i = 0; i < 100 && metrics.value("trawl_pages_total", { outcome: "done" }) < 5; i++) {
      await sleep(100);
      metrics = await scrape();
    }
    expect(
      metrics.value("trawl_requests_total", { status_class: "2xx", reason: "none" }),
    ).toBeGreaterThanOrEqual(5);
    expect(metrics.value("trawl_hosts")).toBe(1);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(401);
    expect((await runCli(["pause", runId], { home, env })).code).toBe(0);
    await worker.waitForStderr(/pause asked: leaving the run after the pages in flight/);
    await worker.waitForStderr(/left run \S+ \(\d+ pages here\): stopped/);
    await coordinator.waitForStderr(/paused/);
    expect((await runCli(["resume", runId], { home, env })).code).toBe(0);
    // Running again: the worker joins again, then hears the cancel and, the run over, exits.
    await worker.waitForStderr(/joined run[^]*joined run/);
    expect((await runCli(["cancel", runId], { home, env })).code).toBe(0);
    await worker.waitForStderr(/cancel asked: leaving the run \(run/);
    const ended = await worker.result;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).toMatch(/left run \S+ \(\d+ pages here\): cancelled/);
    expect((await coordinator.result).code).not.toBeNull();
  }, 120_000);

  it("slow their share down under memory pressure, as a run is", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await treeDefinition(dir);
    const env = { TRAWL_DATABASE_URL: database.url };
    const coordinator = startCli(["run", file], { home, env, timeoutMs: 120_000 });
    const runId = (await coordinator.waitForStderr(/run (RUN-\S+)/))[1]!;
    // A ceiling far below what any process holds: the worker is at it from its first sample.
    const worker = startCli(["worker"], {
      home: join(dir, "machine"),
      env: { ...env, TRAWL_MEMORY_CEILING: "1MB" },
      timeoutMs: 120_000,
    });
    await worker.waitForStderr(/joined run/);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const pressure = async () =>
        (
          await client.query<{ message: string }>(
            `SELECT message FROM logs WHERE run_id = $1 AND message LIKE 'worker %: memory pressure%'`,
            [runId],
          )
        ).rows.map((row) => row.message);
      let lines = await pressure();
      for (let i = 0; i < 100 && lines.length === 0; i++) {
        await sleep(100);
        lines = await pressure();
      }
      expect(lines[0]).toMatch(
        /^worker \S+: memory pressure \(resident .* of the 1 MB ceiling\): at most 1 of 2 requests in flight$/,
      );
    } finally {
      await client.end();
    }
    // Busy with one run already: it joins no other until memory allows.
    const second = startCli(["run", file], { home, env, timeoutMs: 120_000 });
    const secondId = (await second.waitForStderr(/run (RUN-\S+)/))[1]!;
    await worker.waitForStderr(/memory pressure \(resident .* of the 1 MB ceiling\): joining no more runs/);
    for (const id of [runId, secondId]) expect((await runCli(["cancel", id], { home, env })).code).toBe(0);
    await Promise.all([coordinator.result, second.result]);
    worker.child.kill("SIGTERM");
    const ended = await worker.result;
    expect(ended.code, ended.stderr).toBe(0);
    // The second run is joined, if at all, only once the first was left: one at a time.
    const joinedSecond = ended.stderr.indexOf(`joined run ${secondId}`);
    expect(joinedSecond === -1 || joinedSecond > ended.stderr.indexOf(`left run ${runId}`)).toBe(true);
  }, 120_000);

  it("refuse a run whose definition on their machine differs from the one it executes", async () => {
    const { dir, home } = await makeWorkDir();
    const file = await treeDefinition(dir);
    const env = { TRAWL_DATABASE_URL: database.url };
    const coordinator = startCli(["run", file], { home, env, timeoutMs: 120_000 });
    const runId = (await coordinator.waitForStderr(/run (RUN-\S+)/))[1]!;
    // Edited after the run started: this machine's copy is not what the run executes.
    await appendFile(file, "# edited\n");
    const worker = startCli(["worker", "--runs", runId], {
      home: join(dir, "machine"),
      env,
      timeoutMs: 120_000,
    });
    await worker.waitForStderr(/not joining run \S+ \(tree\): \S+tree\.yaml on this machine differs/);
    expect((await runCli(["cancel", runId], { home, env })).code).toBe(0);
    const ended = await worker.result;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).not.toMatch(/joined run/);
    await coordinator.result;
  }, 120_000);

  it("keep rate_per_host together, and all wait out one Retry-After; the summary counts every process's proxy use", async () => {
    const counting = await startCountingSite({ pages: 80 });
    const proxy = await startProxy();
    try {
      const { dir, home } = await makeWorkDir();
      const file = join(dir, "polite.yaml");
      await writeFile(
        file,
        `name: polite
start: ${counting.url}/page/1
politeness: { concurrency: 4, rate_per_host: 5 }
proxy: ${proxy.url}
pages:
  start:
    follow: [{ css: a, page: start }]
    record: { title: h1 }
`,
      );
      const env = { TRAWL_DATABASE_URL: database.url };
      const coordinator = startCli(["run", file, "--json"], { home, env, timeoutMs: 120_000 });
      const runId = (await coordinator.waitForStderr(/run (RUN-\S+)/))[1]!;
      const workers = [1, 2, 3].map((n) =>
        startCli(["worker", "--runs", runId], { home: join(dir, `machine-${n}`), env, timeoutMs: 120_000 }),
      );
      await Promise.all(workers.map((w) => w.waitForStderr(/joined run/)));
      // Four processes crawl the host now: one of them gets a 429 asking for 2 s.
      counting.throttle(3, 2);
      const result = await coordinator.result;
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", records: 80 });
      const ended = await Promise.all(workers.map((w) => w.result));
      for (const end of ended) expect(end.code, end.stderr).toBe(0);
      expect(pagesOf(ended.map((e) => e.stderr))).toBeGreaterThan(0);

      // Measured at the site: 5 a second together (one more at a window's edge), robots.txt once.
      const pages = (arrival: { path: string }) => arrival.path.startsWith("/page/");
      expect(counting.busiest(1000, pages)).toBeLessThanOrEqual(6);
      expect(counting.hits("/robots.txt")).toBe(1);
      const throttledAt = counting.throttledAt()!;
      expect(throttledAt).toBeDefined();
      const during = counting.arrivals().filter((a) => a.at > throttledAt + 150 && a.at < throttledAt + 1900);
      expect(during).toEqual([]);

      // Every process went through the proxy: its count in the run's summary is theirs together.
      const shown = await runCli(["show", runId, "--json"], { home, env });
      const { stats } = JSON.parse(shown.stdout) as {
        stats: { requests: number; proxies?: Record<string, { requests: number }> };
      };
      expect(stats.proxies?.[proxy.url]?.requests).toBe(stats.requests);
    } finally {
      await counting.close();
      await proxy.close();
    }
  }, 120_000);
});

describe("a worker on a run with concurrency: auto", () => {
  it("scales its own concurrency: on a host that answers 429 past 8 at once, it does not pile them up", async () => {
    // A tree of 1,500 pages, each 50 ms; a request arriving while 8 are served gets a 429 at once.
    let serving = 0;
    let throttled = 0;
    const busy = await startFaultSite({
      routes: {
        "/t": (req, res) => {
          if (serving >= 8) {
            throttled++;
            res.writeHead(429, { "content-type": "text/plain" }).end("busy");
            return;
          }
          serving++;
          const n = Number(new URL(req.url!, "http://x").searchParams.get("n"));
          const links = [3 * n + 1, 3 * n + 2, 3 * n + 3].filter((k) => k < 1500);
          setTimeout(() => {
            serving--;
            res.writeHead(200, { "content-type": "text/html" });
            res.end(`<h1>${n}</h1>${links.map((k) => `<a href="/t?n=${k}">${k}</a>`).join("")}`);
          }, 50);
        },
      },
    });
    try {
      const { dir, home } = await makeWorkDir();
      const file = join(dir, "auto.yaml");
      await writeFile(
        file,
        `name: auto
start: ${busy.url}/t?n=0
politeness: { robots: ignore, concurrency: auto, rate_per_host: 100000 }
pages:
  page:
    follow: [{ css: a, page: page }]
    record: { n: { css: h1, type: number } }
`,
      );
      const env = { TRAWL_DATABASE_URL: database.url };
      const coordinator = startCli(["run", file, "--json"], { home, env, timeoutMs: 120_000 });
      const runId = (await coordinator.waitForStderr(/run (RUN-\S+)/))[1]!;
      const worker = startCli(["worker", "--runs", runId], {
        home: join(dir, "machine"),
        env,
        timeoutMs: 120_000,
      });
      await worker.waitForStderr(/joined run/);
      // The fleet shows the concurrency each process found, not the bound it may grow to (64).
      const fleet = async () =>
        parseJson<{ workers: { kind: string; concurrency: number; runs: string[] }[] }>(
          await runCli(["workers", "--json"], { home, env }),
        ).workers.filter((w) => w.runs.includes(runId));
      let serving = await fleet();
      for (let i = 0; i < 50 && serving.length < 2; i++) {
        await sleep(100);
        serving = await fleet();
      }
      expect(serving.map((w) => w.kind).sort()).toEqual(["run", "worker"]);
      for (const process of serving) expect(process.concurrency).toBeLessThanOrEqual(16);
      const result = await coordinator.result;
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", records: 1500 });
      const ended = await worker.result;
      expect(ended.code, ended.stderr).toBe(0);
      expect(pagesOf([ended.stderr])).toBeGreaterThan(100);
      // At its maximum (64 in flight) the worker alone would get most answers as 429s.
      const shown = JSON.parse((await runCli(["show", runId, "--json"], { home, env })).stdout) as {
        stats: { requests: number };
      };
      expect(throttled / shown.stats.requests).toBeLessThan(0.2);
    } finally {
      await busy.close();
    }
  }, 120_000);
});

/** Pages the workers say they finished (`left run … (N pages here)`), over every worker's output. */
function pagesOf(outputs: string[]): number {
  let total = 0;
  for (const output of outputs)
    for (const match of output.matchAll(/\((\d+) pages here\)/g)) total += Number(match[1]);
  return total;
}

/** The definition crawling the tree site: every item a record. */
async function treeDefinition(dir: string): Promise<string> {
  const file = join(dir, "tree.yaml");
  await writeFile(
    file,
    `name: tree
start: ${site.url}/list?p=0
politeness: { robots: ignore, concurrency: 2, rate_per_host: 10000 }
pages:
  list:
    follow:
      - { css: a.list, page: list }
      - { css: a.item, page: item }
  item:
    record: { id: { css: h1, type: number }, name: .name }
`,
  );
  return file;
}
