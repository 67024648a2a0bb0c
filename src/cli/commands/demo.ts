import type { Command } from "commander";
import { join } from "node:path";
import { describeRun, loadScraper, type RunSummary } from "../../app/index.ts";
import {
  copyExample,
  DEMO_PROXY_PASSWORD,
  DEMO_PROXY_PASSWORD_ENV,
  DemoListenError,
  EXAMPLE_NAMES,
  EXAMPLE_ORIGIN,
  EXAMPLE_PROXY_ORIGIN,
  examplePath,
  startDemoSite,
} from "../../demo/index.ts";
import type { DemoSite } from "../../demo/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { executeRun } from "../execute-run.ts";
import { printJson } from "../output.ts";
import { printProxyStats } from "../print-proxy-stats.ts";

interface DemoOptions extends GlobalOptions {
  port: string;
}

/**
 * `trawl demo`: starts the bundled demo site and runs every example scraper against it,
 * offline, end to end (crawl, validate, dedupe, transform, export).
 */
export function register(program: Command): void {
  program
    .command("demo")
    .description("run the example scrapers against the bundled demo site (offline)")
    .option(
      "--port <port>",
      "port of the demo site (the examples expect 8080; another port is rewritten in)",
      "8080",
    )
    .option("--json", "print the run summaries as JSON on stdout")
    .action((options: DemoOptions) =>
      withApp(options, async (app) => {
        const site = await startSite(Number(options.port));
        process.stderr.write(`demo site on ${site.url}, its proxy on ${site.proxyUrl}\n`);
        // The proxy example reads the demo proxy's password from the environment, as a real one would.
        process.env[DEMO_PROXY_PASSWORD_ENV] = DEMO_PROXY_PASSWORD;
        const summaries = [];
        let worst = 0;
        try {
          for (const name of EXAMPLE_NAMES) {
            const file = await exampleFor(name, site, app.paths.home);
            const scraper = await loadScraper(file);
            const run = await app.engine.create(scraper);
            process.stderr.write(`\n== ${name}: run ${run.id}\n`);
            worst = Math.max(worst, await executeRun(app, run.id, scraper, options.json ? "none" : "text"));
            const summary = await describeRun(app.store, (await app.store.runs.get(run.id))!);
            if (!options.json) printDemoStats(summary);
            summaries.push(summary);
            if (worst === 130) break;
          }
        } finally {
          await site.close();
        }
        if (options.json) printJson({ runs: summaries });
        else process.stdout.write(`\nexport a dataset with: trawl export books --format csv\n`);
        return worst;
      }),
    );
}

/**
 * Port 8080 (and 8081 for the proxy) lets the examples run exactly as written; when one is taken,
 * any free ports.
 */
async function startSite(port: number): Promise<DemoSite> {
  try {
    return await startDemoSite({ port });
  } catch (error) {
    if (!(error instanceof DemoListenError) || port !== 8080) throw error;
    return startDemoSite({ port: 0 });
  }
}

/** The example file itself, or a copy (with the files it reads) pointing at the site's actual ports. */
async function exampleFor(name: string, site: DemoSite, home: string): Promise<string> {
  if (site.url === EXAMPLE_ORIGIN && site.proxyUrl === EXAMPLE_PROXY_ORIGIN) return examplePath(name);
  return copyExample(name, site, join(home, "demo"));
}

/** What the run summary leaves out and some examples are about: their proxies, their 304s. */
function printDemoStats(summary: RunSummary): void {
  printProxyStats(summary.stats.proxies);
  const notModified = summary.stats.notModified;
  if (notModified)
    process.stdout.write(`${notModified} of ${summary.stats.requests} requests not modified (304)\n`);
}
