import type { Command } from "commander";
import { compareRuns } from "../../app/index.ts";
import type { RunSummary } from "../../core/contract/runs.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { changedRecordText, matchText } from "../diff-text.ts";
import { printJson, printTable } from "../output.ts";

/** Changed records printed in text output; `--json` has them all (up to 1,000). */
const LISTED = 20;

/** `trawl compare RUN_A RUN_B`: two runs side by side and a record diff. */
export function register(program: Command): void {
  program
    .command("compare")
    .description("compare two runs: metadata side by side, and records added, removed or changed")
    .argument("<a>", "the older run")
    .argument("<b>", "the newer run")
    .option(
      "--key <fields>",
      "comma-separated fields identifying a record (default: the runs' record key; without one, by position)",
    )
    .option("--json", "print the comparison as JSON on stdout")
    .action((aId: string, bId: string, options: GlobalOptions & { key?: string }) =>
      withApp(options, async (app) => {
        const key = options.key
          ?.split(",")
          .map((f) => f.trim())
          .filter(Boolean);
        const comparison = await compareRuns(app.store, aId, bId, key);
        // Warnings go to stderr in both modes, so a script reading the JSON sees them too.
        for (const warning of comparison.warnings) process.stderr.write(`warning: ${warning}\n`);
        if (options.json) return printJson(comparison);
        const { a, b, records } = comparison;
        const seconds = (run: RunSummary) =>
          run.startedAt && run.finishedAt
            ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
            : null;
        printTable(
          ["", a.id, b.id],
          [
            ["scraper", a.scraper, b.scraper],
            ["status", a.status, b.status],
            ["duration", seconds(a), seconds(b)],
            ["pages", a.pages.done, b.pages.done],
            ["records", a.records, b.records],
            ["errors", a.pages.failed, b.pages.failed],
            ["pages/s", a.stats.pagesPerSecond ?? null, b.stats.pagesPerSecond ?? null],
          ],
        );
        process.stdout.write(
          `\nrecords ${matchText(comparison)}: ${records.counts.added} added, ` +
            `${records.counts.removed} removed, ${records.counts.changed} changed, ${records.unchanged} unchanged\n`,
        );
        for (const change of records.changed.slice(0, LISTED))
          process.stdout.write(`${changedRecordText(change)}\n`);
        if (records.counts.changed > LISTED)
          process.stdout.write(`  … and ${records.counts.changed - LISTED} more (--json for all)\n`);
      }),
    );
}
