/**
 * `npm run bench:browser [-- --pages N]`: the browser engine on a subset of the generated
 * catalogue, with the context pool on (a context serves 50 pages) and off (a fresh context per
 * page). Reports pages/s (wall time of `trawl run`, spawn → exit) and the peak memory of the whole
 * process tree (trawl and its Chromium processes, as PSS), next to the HTTP engine on the same pages.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { booksForPages, crawlPages } from "./bench-scraper.ts";
import { startDemoServer } from "./demo-server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Variant {
  name: string;
  engine: "http" | "browser";
  recycleAfter: number;
}

const VARIANTS: Variant[] = [
  { name: "http", engine: "http", recycleAfter: 50 },
  { name: "browser, context pool on (50 pages per context)", engine: "browser", recycleAfter: 50 },
  { name: "browser, context pool off (a context per page)", engine: "browser", recycleAfter: 1 },
];

function scraperYaml(origin: string, variant: Variant): string {
  return [
    "name: browser-bench",
    `start: ${origin}/fiction/page/1`,
    `engine: ${variant.engine}`,
    `browser: { max_pages: 4, recycle_after: ${variant.recycleAfter}, block: [image, font, media] }`,
    "pages:",
    "  list:",
    "    follow:",
    '      - { css: "a.next", page: list }',
    '      - { css: "article a.title", page: product }',
    "  product:",
    "    record: { title: h1, price: { css: .price, type: number } }",
    "politeness: { concurrency: 4, rate_per_host: 1000, robots: ignore }",
    "",
  ].join("\n");
}

/**
 * Memory of `pid` and all its descendants in MB: the sum of their proportional set sizes (PSS),
 * which counts a page shared by n processes as 1/n in each. Summing RSS instead would count the
 * Chromium binary and shared memory once per renderer process.
 */
async function treeRssMb(pid: number): Promise<number> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const inTree = (p: number): boolean => p === pid || (parents.has(p) && inTree(parents.get(p)!));
  let total = 0;
  for (const p of parents.keys()) {
    if (!inTree(p)) continue;
    const rollup = await readFile(`/proc/${p}/smaps_rollup`, "utf8").catch(() => "");
    total += Number(/^Pss:\s+(\d+) kB$/m.exec(rollup)?.[1] ?? 0) / 1024;
  }
  return total;
}

async function runVariant(
  origin: string,
  variant: Variant,
): Promise<{ pages: number; seconds: number; peakMb: number }> {
  const dir = await mkdtemp(join(tmpdir(), "trawl-bench-browser-"));
  try {
    const file = join(dir, "scraper.yaml");
    await writeFile(file, scraperYaml(origin, variant));
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, "bin", "trawl.js"), "run", file, "--json"], {
      env: { ...process.env, TRAWL_HOME: join(dir, "home") },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    let peakMb = 0;
    const poll = setInterval(() => {
      void treeRssMb(child.pid!).then((mb) => (peakMb = Math.max(peakMb, mb)));
    }, 100);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearInterval(poll);
    if (code !== 0) throw new Error(`${variant.name}: trawl run exited ${code}`);
    const summary = JSON.parse(out) as { pages: { done: number } };
    return { pages: summary.pages.done, seconds: (performance.now() - started) / 1000, peakMb };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the three variants over about `pages` pages; resolves to a markdown table. */
export async function browserBench(pages: number): Promise<string> {
  const books = booksForPages(pages * 4); // the bench site has 4 categories; this crawls one
  const server = await startDemoServer(books);
  try {
    process.stderr.write(`demo site: ${crawlPages(books) / 4} pages in the crawled category\n`);
    const rows: string[] = [];
    for (const variant of VARIANTS) {
      const result = await runVariant(server.origin, variant);
      process.stderr.write(`  ${variant.name}: ${result.pages} pages in ${result.seconds.toFixed(1)} s\n`);
      rows.push(
        `| ${variant.name} | ${result.pages} | ${(result.pages / result.seconds).toFixed(1)} | ${Math.round(result.peakMb)} |`,
      );
    }
    return [
      `## browser engine benchmark (one category, concurrency 4, max_pages 4, images/fonts/media blocked)`,
      "",
      "| variant | pages | pages/s | peak memory MB (PSS, process tree) |",
      "|---|--:|--:|--:|",
      ...rows,
      "",
      "- pages/s = pages / wall time of `trawl run` (spawn → exit, browser start-up included)",
      "",
    ].join("\n");
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { pages: { type: "string" } } });
  process.stdout.write(await browserBench(Number(values.pages ?? 400)));
}
