import type { Command } from "commander";
import { compareRuns } from "../../app/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { printJson, printTable } from "../output.ts";

/** `trawl compare RUN_A RUN_B`: two runs side by side and a record diff. */
export function register(program: Command): void {
  program
    .command("compare")
    .description("compare two runs: metadata side by side, and records added, removed or changed")
    .argument("<a>", "the older run")
    .argument("<b>", "the newer run")
    .option(
      "--key <fields>",
      "comma-separated fields identifying a record (default: the dedupe key, else url)",
    )
    .option("--json", "print the comparison as JSON on stdout")
    .action((aId: string, bId: string, options: GlobalOptions & { key?: string }) =>
      withApp(options, async (app) => {
        const key = options.key
          ?.split(",")
          .map((f) => f.trim())
          .filter(Boolean);
        const comparison = await compareRuns(app.store, aId, bId, key);
        if (options.json) return printJson(comparison);
        const { a, b, records } = comparison;
        const seconds = (run: typeof a) =>
          run.startedAt && run.finishedAt
            ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
            : null;
        printTable(
          ["", a.id, b.id],
          [
            ["status", a.status, b.status],
            ["duration", seconds(a), seconds(b)],
            ["pages", a.pages.done, b.pages.done],
            ["records", a.records, b.records],
            ["errors", a.pages.failed, b.pages.failed],
            ["pages/s", a.stats.pagesPerSecond ?? null, b.stats.pagesPerSecond ?? null],
          ],
        );
        process.stdout.write(
          `\nrecords by ${comparison.key?.join(", ") ?? "whole record"}: ${records.counts.added} added, ` +
            `${records.counts.removed} removed, ${records.counts.changed} changed, ${records.unchanged} unchanged\n`,
        );
        for (const change of records.changed.slice(0, 20)) {
          const fields = change.fields.map(
            (f) => `${f.field}: ${JSON.stringify(f.a)} → ${JSON.stringify(f.b)}`,
          );
          process.stdout.write(`  ~ ${change.key}: ${fields.join("; ")}\n`);
        }
        if (records.counts.changed > 20)
          process.stdout.write(`  … and ${records.counts.changed - 20} more (--json for all)\n`);
      }),
    );
}
