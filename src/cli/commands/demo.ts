import type { Command } from "commander";
import { join } from "node:path";
import { describeRun, loadScraper } from "../../app/index.ts";
import { copyExample, DemoListenError, EXAMPLE_NAMES, examplePath, startDemoSite } from "../../demo/index.ts";
import type { DemoSite } from "../../demo/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { executeRun } from "../execute-run.ts";
import { printJson } from "../output.ts";

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
        process.stderr.write(`demo site on ${site.url}\n`);
        const summaries = [];
        let worst = 0;
        try {
          for (const name of EXAMPLE_NAMES) {
            const file = await exampleFor(name, site, app.paths.home);
            const scraper = await loadScraper(file);
            const run = await app.engine.create(scraper);
            process.stderr.write(`\n== ${name}: run ${run.id}\n`);
            worst = Math.max(worst, await executeRun(app, run.id, scraper, options.json ? "none" : "text"));
            summaries.push(await describeRun(app.store, (await app.store.runs.get(run.id))!));
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

/** Port 8080 lets the examples run exactly as written; when it is taken, any free port. */
async function startSite(port: number): Promise<DemoSite> {
  try {
    return await startDemoSite({ port });
  } catch (error) {
    if (!(error instanceof DemoListenError) || port !== 8080) throw error;
    return startDemoSite({ port: 0 });
  }
}

/** The example file itself, or a copy (with the files it reads) pointing at the site's actual port. */
async function exampleFor(name: string, site: DemoSite, home: string): Promise<string> {
  if (site.port === 8080) return examplePath(name);
  return copyExample(name, site.url, join(home, "demo"));
}
