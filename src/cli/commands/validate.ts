import type { Command } from "commander";
import { checkStartFiles, loadScraper } from "../../app/index.ts";
import { withoutApp, type GlobalOptions } from "../context.ts";
import { printJson } from "../output.ts";

/** `trawl validate FILE`: checks a definition; every problem with file, line, column and field. */
export function register(program: Command): void {
  program
    .command("validate")
    .description("check a scraper definition; reports every problem with file, line, column and field")
    .argument("<file>", "scraper definition")
    .option("--json", "print the result as JSON on stdout")
    .action((file: string, options: GlobalOptions) =>
      withoutApp(options, async () => {
        const scraper = await loadScraper(file);
        // Start files are part of the definition (datasets are checked when a run starts).
        await checkStartFiles(scraper.targets);
        const summary = {
          valid: true,
          file,
          name: scraper.name,
          targets: scraper.targets.map((t) => t.name),
          pages: Object.keys(scraper.pages),
          steps: scraper.steps.map((s) => s.name),
        };
        if (options.json) return printJson(summary);
        process.stdout.write(
          `${file}: valid scraper ${scraper.name} — ${summary.targets.length} target(s), ` +
            `pages ${summary.pages.join(", ")}, steps crawl${summary.steps.map((s) => `, ${s}`).join("")}\n`,
        );
      }),
    );
}
