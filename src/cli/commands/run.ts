import type { Command } from "commander";
import { loadScraper } from "../../pipeline/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { executeRun } from "../execute-run.ts";

interface RunOptions extends GlobalOptions {
  breakpoint?: string[];
}

/** `trawl run FILE`: runs a scraper definition to the end (or until stopped). */
export function register(program: Command): void {
  program
    .command("run")
    .description("run a scraper definition (YAML or TypeScript); Ctrl-C stops it resumably")
    .argument("<file>", "scraper definition: .yaml, .yml, .ts, .js or .mjs")
    .option("--breakpoint <step...>", "pause before these steps (crawl, or a post-crawl step's name)")
    .option("--json", "print the run summary as JSON on stdout")
    .action((file: string, options: RunOptions) =>
      withApp(options, async (app) => {
        const scraper = await loadScraper(file);
        const run = await app.engine.create(scraper, { breakpoints: options.breakpoint ?? [] });
        if (!options.json) process.stderr.write(`run ${run.id} (${scraper.name})\n`);
        return executeRun(app, run.id, scraper, options.json ?? false);
      }),
    );
}
