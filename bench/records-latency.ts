/**
 * The records part of `npm run bench:ui`: how fast a run's records page answers when the run has
 * a million stored records. Loads `count` realistic job records into a run's final stage through
 * the store, then measures the API (first page, sorted pages, a search, a filter, downloads) and
 * the page in Chromium (records drawn, a header sorted, a search typed). Prints a markdown table.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Browser } from "playwright-core";
import { App } from "../src/app/index.ts";
import { startServer } from "../src/server/index.ts";

/** What {@link measureRecords} needs. */
export interface RecordsBenchOptions {
  browser: Browser;
  /** A fresh directory for the data (removed afterwards). */
  dir: string;
  /** Records to store. */
  count: number;
  /** The built web app. */
  uiDir?: string;
}

const WORDS = (
  "senior junior lead staff data platform backend frontend engineer developer analyst manager " +
  "python typescript rust go sales nurse teacher driver designer product marketing support"
).split(" ");
const CITIES = [
  "London",
  "Berlin",
  "Paris",
  "Zürich",
  "New York",
  "Remote",
  "Austin",
  "Lisbon",
  "Tokyo",
  "Kraków",
];

/** The i-th job of the bench: about 330 bytes of JSON, fields of every kind, some missing. */
export function benchJob(i: number): Record<string, unknown> {
  const word = (k: number) => WORDS[(i * 7 + k * 13 + Math.floor(i / 17) * k) % WORDS.length]!;
  const city = CITIES[i % CITIES.length]!;
  const job: Record<string, unknown> = {
    title: `${word(1)} ${word(2)} ${word(3)}`,
    company: `Company ${(i * 31) % 5000}`,
    location: city,
    posted: new Date(Date.UTC(2026, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10),
    remote: i % 3 === 0,
    tags: [word(4), word(5)],
    url: `https://jobs.example.com/job/${i}`,
    description: `We are looking for a ${word(1)} ${word(2)} to join our team in ${city}. Ref ${i.toString(36)}.`,
  };
  if (i % 11 !== 0) job.salary = 30_000 + ((i * 7919) % 120_000);
  return job;
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
const max = (samples: number[]) => Math.max(...samples);
const timed = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

/** Runs the records bench; returns its markdown section. */
export async function measureRecords(options: RecordsBenchOptions): Promise<string> {
  const app = await App.open({ home: join(options.dir, "records-home") });
  const server = await startServer({
    app,
    port: 0,
    scheduler: false,
    ...(options.uiDir && { uiDir: options.uiDir }),
  });
  try {
    const { runId, loadMs } = await load(app, options.count);
    const api = async (path: string) => {
      const res = await fetch(`${server.url}${path}`);
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { total: number; next: string | null; records: unknown[] };
    };
    const base = `/api/runs/${runId}/records`;
    // A write anywhere in the database (a live run's log line) makes the next read count again.
    const touch = () => app.store.logs.append(runId, "info", "bench", Date.now());
    const rows: string[] = [];
    const row = (name: string, samples: number[], note = "") =>
      rows.push(
        `| ${name} | ${samples.length} | ${median(samples).toFixed(1)} | ${max(samples).toFixed(1)} | ${note} |`,
      );
    const repeat = async (n: number, work: () => Promise<unknown>, before?: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        await before?.();
        samples.push(await timed(work));
      }
      return samples;
    };

    row("first page, total counted (after a write)", await repeat(10, () => api(`${base}?limit=50`), touch));
    row("first page, total remembered (quiet database)", await repeat(20, () => api(`${base}?limit=50`)));
    const fields = ["salary", "title", "posted", "company", "location"];
    const firstSorts: number[] = [];
    for (const field of fields) firstSorts.push(await timed(() => api(`${base}?sort=${field}&limit=50`)));
    row("sorted page, first sort of a field (builds its index)", firstSorts, fields.join(", "));
    row(
      "sorted first page, index built",
      await repeat(20, () => api(`${base}?sort=title&order=desc&limit=50`)),
    );
    let cursor: string | null = null;
    const deep = await repeat(20, async () => {
      const page = await api(`${base}?sort=salary&limit=50${cursor ? `&cursor=${cursor}` : ""}`);
      cursor = page.next;
    });
    row("sorted next page (cursor), pages 1–20", deep);
    row(
      "sorted page at offset 500,000",
      await repeat(2, () => api(`${base}?sort=salary&offset=500000&limit=50`)),
      "`offset` walks the index to its page; the app pages by cursor",
    );
    const searches = ["berlin", "ref 2s", "zürich", "engineer lead", "kraków"];
    let n = 0;
    const searchSamples = await repeat(searches.length, () =>
      api(`${base}?search=${encodeURIComponent(searches[n++]!)}&limit=50`),
    );
    row("search, first time (counts its matches)", searchSamples, searches.join(", "));
    row("search again (count remembered)", await repeat(10, () => api(`${base}?search=berlin&limit=50`)));
    row(
      "sorted search (salary, 'berlin')",
      await repeat(5, () => api(`${base}?search=berlin&sort=salary&limit=50`), touch),
    );
    row(
      "filter location = Paris, first time",
      await repeat(3, () => api(`${base}?filter=location:eq:Paris&limit=50`), touch),
    );
    const downloads: string[] = [];
    for (const format of ["jsonl", "csv"]) {
      // Server and client share this process: its peak RSS bounds what the download holds.
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      let bytes = 0;
      const ms = await timed(async () => {
        const reader = (await fetch(`${server.url}${base}.${format}`)).body!.getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
          bytes += chunk.value.length;
      });
      clearInterval(sampler);
      downloads.push(
        `${format.toUpperCase()} ${(bytes / 1e6).toFixed(0)} MB in ${(ms / 1000).toFixed(1)} s ` +
          `(peak RSS ${((peak - before) / 1e6).toFixed(0)} MB above the ${(before / 1e6).toFixed(0)} MB before)`,
      );
    }
    const browserRows = await measureInBrowser(options.browser, server.url, runId, fields);
    return [
      "",
      `## records at ${options.count.toLocaleString("en-US")} stored records`,
      "",
      `Loaded through \`RecordStore.append\` in ${(loadMs / 1000).toFixed(1)} s. API, from request to parsed JSON (ms):`,
      "",
      "| measure | samples | median ms | max ms | note |",
      "|---|--:|--:|--:|---|",
      ...rows,
      "",
      "In the browser (the run page, from the action to the rows drawn, ms):",
      "",
      "| measure | samples | median ms | max ms | note |",
      "|---|--:|--:|--:|---|",
      ...browserRows,
      "",
      `- downloads of all records: ${downloads.join("; ")}`,
      "",
    ].join("\n");
  } finally {
    await server.close();
    await app.close();
    rmSync(join(options.dir, "records-home"), { recursive: true, force: true });
  }
}

/** A finished run whose final stage (a validate step's) holds `count` bench jobs. */
async function load(app: App, count: number): Promise<{ runId: string; loadMs: number }> {
  const store = app.store;
  const run = await store.runs.create(
    {
      scraper: "jobs",
      source: null,
      definitionHash: "bench",
      targets: ["all"],
      steps: [
        { name: "crawl", kind: "crawl" },
        { name: "validate", kind: "validate" },
      ],
      breakpoints: [],
    },
    Date.now(),
  );
  const loadMs = await timed(async () => {
    for (let at = 0; at < count; at += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, count - at) }, (_, i) => benchJob(at + i));
      const sources = batch.map((_, i) => `https://jobs.example.com/list?page=${Math.floor((at + i) / 20)}`);
      await store.records.append(run.id, 1, batch, at, sources);
    }
  });
  await store.steps.finish(run.id, 0, count, {}, Date.now());
  await store.steps.finish(run.id, 1, count, {}, Date.now());
  await store.runs.update(run.id, { status: "succeeded", finishedAt: Date.now() });
  return { runId: run.id, loadMs };
}

/** The run page in Chromium: records drawn after navigation, a header sorted, a search typed. */
async function measureInBrowser(
  browser: Browser,
  url: string,
  runId: string,
  fields: string[],
): Promise<string[]> {
  const page = await browser.newPage({ locale: "en-US" });
  const range = page.getByTestId("records-range");
  const open = async () => {
    await page.goto(`${url}/runs/${runId}`, { waitUntil: "commit" });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="records-range"]')?.textContent?.includes(" of "),
    );
    return page.evaluate(() => performance.now());
  };
  const loads: number[] = [];
  for (let i = 0; i < 5; i++) loads.push(await open());
  const sorts: number[] = [];
  for (const field of fields.slice(0, 3)) {
    await open();
    sorts.push(
      await timed(async () => {
        await page.locator(`[data-testid="records-column"][data-field="${field}"] button`).press("Enter");
        // Sorted, and the sorted page drawn (the table is busy from the press until it is).
        await page.waitForFunction(
          (f) =>
            document
              .querySelector(`[data-testid="records-column"][data-field="${f}"]`)
              ?.getAttribute("aria-sort") === "ascending" &&
            document.querySelector(".table-scroll")?.getAttribute("aria-busy") === "false",
          field,
        );
      }),
    );
  }
  const searches: number[] = [];
  for (const term of ["paris", "ref 3k", "designer"]) {
    await open();
    await page.getByTestId("records-search").fill(term.slice(0, -1));
    searches.push(
      await timed(async () => {
        await page.getByTestId("records-search").press(term.at(-1)!);
        await range.filter({ hasText: "matching" }).waitFor();
      }),
    );
  }
  await page.close();
  const row = (name: string, samples: number[], note: string) =>
    `| ${name} | ${samples.length} | ${median(samples).toFixed(1)} | ${max(samples).toFixed(1)} | ${note} |`;
  return [
    row("run page opened → first 50 records and the total drawn", loads, "navigation start → range text"),
    row(
      "header pressed (Enter) → sorted rows drawn",
      sorts,
      `${fields.slice(0, 3).join(", ")}; indexes built`,
    ),
    row("last key typed → matching rows and total drawn", searches, "includes the 250 ms typing pause"),
  ];
}
