/**
 * The compressed soak (issue 16, §8): one real `trawl serve` process (scheduler on, a schedule
 * firing every second) runs hundreds of short runs against a tiny local site, fired through the
 * API a few at a time, and must not grow. After warm-up, a checkpoint every 20 runs (no run in
 * flight, a full garbage collection first) reads its heap, resident memory, open handles and open
 * files; the growth per run (least squares over the checkpoints) must stay under a tolerance that
 * a leaked run exceeds: a session kept in a map (a listener or map entry holding it) is about
 * 57 KB a run, the server's own drift about 5–13 KB; a handle or file descriptor left open per run
 * adds hundreds. `npm run soak` (bench/soak.ts) is the long version; docs/soak.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTable, slopePer10Minutes, type SoakRow } from "../../bench/soak-report.ts";
import { startSoakServer, type SoakServer } from "../../bench/soak-server.ts";

/** Runs before the first measurement (caches, JIT, SQLite's page cache, pools settle). */
const WARM_UP_RUNS = 100;
/** Runs measured after warm-up (about 1 s per 20 runs on a 2-core machine). */
const MEASURED_RUNS = 300;
/** Runs in flight at once. */
const PARALLEL = 3;
/** A checkpoint (all runs ended, figures taken) every this many runs. */
const CHECKPOINT_EVERY = 20;
const ENDED = new Set(["succeeded", "failed", "cancelled", "interrupted"]);
/** Live heap growth per run that fails the test, in KB (a leaked session: ~57). */
const HEAP_KB_PER_RUN = 30;
/** Resident memory growth per run that fails it, in KB (malloc's arenas make it noisier). */
const RSS_KB_PER_RUN = 100;
/** Open handles or files more at the end than after warm-up that fail it (their count wobbles by 2). */
const MORE_HANDLES = 4;

let dir: string;
let site: http.Server;
let server: SoakServer | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-soak-"));
  // Three pages, each linking the next.
  site = http.createServer((req, res) => {
    const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? 0);
    const next = n < 2 ? `<a href="/p?n=${n + 1}">next</a>` : "";
    res.writeHead(200, { "content-type": "text/html" }).end(`<h1>Page ${n}</h1>${next}`);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => site.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts one run through the API and waits for it to end; resolves to its status. */
async function oneRun(s: SoakServer, file: string): Promise<string> {
  const started = await s.api<{ id: string }>("/api/runs", { file });
  if (started.status !== 202)
    throw new Error(`POST /api/runs: ${started.status} ${JSON.stringify(started.body)}`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { body } = await s.api<{ status: string }>(`/api/runs/${started.body.id}`);
    if (ENDED.has(body.status)) return body.status;
  }
}

/** Runs `count` runs, {@link PARALLEL} at a time; resolves to their statuses. */
async function runMany(s: SoakServer, file: string, count: number): Promise<string[]> {
  const statuses: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      statuses.push(await oneRun(s, file));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  return statuses;
}

/** Growth per run (KB) of the live heap and resident memory: least squares over the checkpoints. */
function perRun(rows: SoakRow[]): { heapKb: number; rssKb: number } {
  // slopePer10Minutes takes milliseconds: the runs stand in for them, so it gives MB per 600,000 runs.
  const slope = (value: (r: SoakRow) => number) =>
    (slopePer10Minutes(rows.map((r) => ({ at: r.runs, value: value(r) }))) / 600_000) * 1024;
  return { heapKb: slope((r) => r.heapMb), rssKb: slope((r) => r.rssMb) };
}

describe("soak, compressed", () => {
  it("runs hundreds of short runs in one server without growing", { timeout: 240_000 }, async () => {
    const address = site.address() as { port: number };
    const file = join(dir, "tiny.yaml");
    writeFileSync(
      file,
      `name: tiny
start: http://127.0.0.1:${address.port}/p?n=0
pages:
  page:
    follow: [{ css: a, page: page }]
    record: { title: h1 }
politeness: { robots: ignore, rate_per_host: 1000, retries: 0 }
`,
    );
    const s = (server = await startSoakServer({ home: join(dir, "home"), scrapers: dir }));
    const schedule = await s.api<{ id: string }>("/api/schedules", { file, every: "1s", overlap: "skip" });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    const startedAt = Date.now();
    const rows: SoakRow[] = [];
    let runs = 0;
    const checkpoint = async () => {
      // Runs have ended; a moment for what they let go to be collected as the server idles.
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows.push({ ...(await s.figures(startedAt)), runs });
    };

    const warm = await runMany(s, file, WARM_UP_RUNS);
    runs += warm.length;
    await checkpoint();
    for (let done = 0; done < MEASURED_RUNS; done += CHECKPOINT_EVERY) {
      const statuses = await runMany(s, file, CHECKPOINT_EVERY);
      expect(statuses.filter((status) => status !== "succeeded")).toEqual([]);
      runs += statuses.length;
      await checkpoint();
    }
    const fired = await s.api<{ history: { status: string }[] }>(`/api/schedules/${schedule.body.id}`);
    const growth = perRun(rows);
    const report = `${formatTable(rows)}\nper run: heap ${growth.heapKb.toFixed(1)} KB, RSS ${growth.rssKb.toFixed(1)} KB`;
    console.log(report);
    // The schedule fired too (every second, skipped while its previous run was active).
    expect(fired.body.history.filter((o) => o.status === "succeeded").length).toBeGreaterThan(5);
    expect(growth.heapKb, report).toBeLessThan(HEAP_KB_PER_RUN);
    expect(growth.rssKb, report).toBeLessThan(RSS_KB_PER_RUN);
    const [first, last] = [rows[0]!, rows.at(-1)!];
    expect(last.handles - first.handles, report).toBeLessThanOrEqual(MORE_HANDLES);
    if (first.fds !== null && last.fds !== null) {
      expect(last.fds - first.fds, report).toBeLessThanOrEqual(MORE_HANDLES);
    }
  });
});
