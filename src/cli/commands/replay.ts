import type { Command } from "commander";
import { replayRun } from "../../app/index.ts";
import { ExitCode } from "../../core/index.ts";
import type { Progress } from "../../core/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { changedRecordText, matchText } from "../diff-text.ts";
import { printJson } from "../output.ts";

/** On a terminal, one line on stderr that counts the pages replayed; elsewhere nothing. */
function progressLine(): ((progress: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ pagesDone, pagesKnown, records }) =>
    process.stderr.write(`\rreplaying: ${pagesDone}/${pagesKnown} pages, ${records} records\x1b[K`);
}

/** Changes listed per kind in text output; `--json` lists them all. */
const LISTED = 20;

/** `trawl replay RUN [--scraper FILE]`: re-runs a scraper against a run's recording, offline. */
export function register(program: Command): void {
  program
    .command("replay")
    .description("re-run a scraper offline against a recorded run and diff the records (no network)")
    .argument("<run>", "a run recorded with `trawl run --record`")
    .option("--scraper <file>", "the definition to replay (default: the run's own, as it is now)")
    .option("--json", "print the report as JSON on stdout")
    .action((runId: string, options: GlobalOptions & { scraper?: string }) =>
      withApp(options, async (app) => {
        const report = await replayRun(app, runId, options.scraper, progressLine());
        if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
        const failed = report.status !== "succeeded";
        if (options.json) {
          printJson(report);
          return failed ? ExitCode.failed : ExitCode.ok;
        }
        const out = (line: string) => process.stdout.write(`${line}\n`);
        const { counts, records } = report;
        out(`replayed ${report.run} offline with ${report.definition}`);
        out(
          `${counts.replayed} records (the recorded run had ${counts.recorded}), ${matchText(report)}: ` +
            `${records.counts.added} added, ${records.counts.removed} removed, ${records.counts.changed} changed, ${records.unchanged} unchanged`,
        );
        for (const record of records.added.slice(0, LISTED)) out(`  + ${JSON.stringify(record)}`);
        for (const record of records.removed.slice(0, LISTED)) out(`  - ${JSON.stringify(record)}`);
        for (const change of records.changed.slice(0, LISTED)) out(changedRecordText(change));
        const more =
          Math.max(0, records.counts.added - LISTED) +
          Math.max(0, records.counts.removed - LISTED) +
          Math.max(0, records.counts.changed - LISTED);
        if (more > 0) out(`  … and ${more} more (--json for all)`);
        if (report.missing.length > 0) {
          out(`${report.missing.length} request(s) not in the recording (not fetched):`);
          for (const url of report.missing.slice(0, LISTED)) out(`  ? ${url}`);
        }
        if (report.identical) out("identical to the recorded run");
        if (failed) out(`the replay ${report.status}: ${report.error ?? ""}`);
        return failed ? ExitCode.failed : ExitCode.ok;
      }),
    );
}
