/**
 * An A/B of two builds of trawl on one warm bench site: `trawl run` of build A and of build B
 * alternated (A B, B A, A B …) so that a drift of the shared machine's speed hits both alike, then
 * medians and the range of the pairs' ratios. This is how a change is judged on a noisy machine
 * (bench/README.md); `npm run bench` gives the absolute figures.
 *
 * `node --import tsx bench/ab-crawl.ts --a DIR_A --b DIR_B [--shape links] [--size 3000]
 * [--latency 0] [--pairs 5]`, where DIR is a checkout whose `bin/trawl.js` runs its bundle
 * (`node scripts/build-cli.mjs` after the last edit), and size is products (links) or pages
 * (forward). Extra environment for one side: `--env-a K=V`, `--env-b K=V`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { booksForPages, writeBenchScraper } from "./bench-scraper.ts";
import { startBenchSite } from "./demo-server.ts";
import { fixed, median } from "./report.ts";
import type { SiteShape } from "./site-server.ts";
import { runTrawl, type Sample } from "./variants.ts";

function envOf(pairs: string[] | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--env-a/--env-b take K=V, got "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

async function runSide(bin: string, env: NodeJS.ProcessEnv, scraper: string, tmp: string): Promise<Sample> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await runTrawl(scraper, tmp, bin);
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

const line = (label: string, s: Sample) =>
  `${label}: ${s.pages} pages ${s.wallSeconds.toFixed(2)} s (${s.pagesPerSecond.toFixed(0)}/s), ` +
  `${s.cpuSeconds.toFixed(2)} CPU s (${((1000 * s.cpuSeconds) / s.pages).toFixed(2)} ms/page), ${s.peakRssMb.toFixed(0)} MB`;

function summary(name: string, samples: Sample[]): string {
  const wall = samples.map((s) => s.wallSeconds);
  const cpu = samples.map((s) => (1000 * s.cpuSeconds) / s.pages);
  const rss = samples.map((s) => s.peakRssMb);
  return (
    `${name}: wall median ${fixed(median(wall), 2)} s, pages/s median ${fixed(median(samples.map((s) => s.pagesPerSecond)), 0)}, ` +
    `CPU ms/page median ${fixed(median(cpu), 2)}, peak RSS median ${fixed(median(rss), 0)} max ${fixed(Math.max(...rss), 0)} MB`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      a: { type: "string" },
      b: { type: "string" },
      shape: { type: "string", default: "links" },
      size: { type: "string", default: "3000" },
      latency: { type: "string", default: "0" },
      pairs: { type: "string", default: "5" },
      "env-a": { type: "string", multiple: true },
      "env-b": { type: "string", multiple: true },
    },
  });
  if (!values.a || !values.b) throw new Error("--a and --b are required");
  const shape = values.shape as SiteShape;
  const size = shape === "links" ? Number(values.size) : booksForPages(Number(values.size));
  const sides = [
    { name: "A", bin: join(resolve(values.a), "bin", "trawl.js"), env: envOf(values["env-a"]) },
    { name: "B", bin: join(resolve(values.b), "bin", "trawl.js"), env: envOf(values["env-b"]) },
  ];
  const tmp = await mkdtemp(join(tmpdir(), "trawl-ab-"));
  const server = await startBenchSite({ shape, size, latencyMs: Number(values.latency) });
  try {
    const scraper = await writeBenchScraper(tmp, server.origin, shape);
    // Warm the server (its JIT) and the page cache once, not counted.
    await runSide(sides[0]!.bin, sides[0]!.env, scraper, tmp);
    const samples: Record<string, Sample[]> = { A: [], B: [] };
    const ratios: number[] = [];
    for (let pair = 0; pair < Number(values.pairs); pair++) {
      const order = pair % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const sample = await runSide(side.bin, side.env, scraper, tmp);
        samples[side.name]!.push(sample);
        process.stderr.write(`${line(`  pair ${pair + 1} ${side.name}`, sample)}\n`);
      }
      ratios.push(samples.B![pair]!.wallSeconds / samples.A![pair]!.wallSeconds);
    }
    const cpuRatios = samples.B!.map((b, i) => b.cpuSeconds / samples.A![i]!.cpuSeconds);
    process.stdout.write(
      [
        summary("A", samples.A!),
        summary("B", samples.B!),
        `wall B/A: median ${fixed(median(ratios), 3)}, pairs ${fixed(Math.min(...ratios), 3)}–${fixed(Math.max(...ratios), 3)}`,
        `CPU B/A: median ${fixed(median(cpuRatios), 3)}, pairs ${fixed(Math.min(...cpuRatios), 3)}–${fixed(Math.max(...cpuRatios), 3)}`,
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(", ")}`,
        "",
      ].join("\n"),
    );
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ab failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
