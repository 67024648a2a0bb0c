import type { Command } from "commander";
import { checkStartFiles, loadScraper, type CompiledScraper } from "../../app/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { executeRun } from "../execute-run.ts";
import { reportError } from "../output.ts";

interface RunOptions extends GlobalOptions {
  breakpoint?: string[];
  record?: boolean;
}

/** `trawl run FILE`: runs a scraper definition to the end (or until stopped). */
export function register(program: Command): void {
  program
    .command("run")
    .description("run a scraper definition (YAML or TypeScript); Ctrl-C stops it resumably")
    .argument("<file>", "scraper definition: .yaml, .yml, .ts, .js or .mjs")
    .option("--breakpoint <step...>", "pause before these steps (crawl, or a post-crawl step's name)")
    .option("--record", "record responses, browser actions and screenshots, for `trawl replay`")
    .option("--json", "print the run summary as JSON on stdout")
    .action(async (file: string, options: RunOptions) => {
      // The definition is checked before the data directory is even opened: bad input changes nothing.
      let scraper: CompiledScraper;
      try {
        scraper = await loadScraper(file);
        // Start files too (datasets need the data directory: they are read as the run is created).
        await checkStartFiles(scraper.targets);
      } catch (error) {
        process.exitCode = reportError(error, options.json ?? false);
        return;
      }
      await withApp(options, async (app) => {
        const run = await app.engine.create(scraper, {
          breakpoints: options.breakpoint ?? [],
          record: options.record ?? false,
        });
        if (!options.json) process.stderr.write(`run ${run.id} (${scraper.name})\n`);
        return executeRun(app, run.id, scraper, options.json ? "json" : "text");
      });
    });
}
