import { Option, type Command } from "commander";
import { RUN_STATUSES } from "../../core/contract/values.ts";
import type { RunStatus } from "../../core/index.ts";
import { RESUMABLE } from "../../engine/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { positiveInteger } from "../option-parsers.ts";
import { printJson, printTable } from "../output.ts";

interface RunsOptions extends GlobalOptions {
  resumable?: boolean;
  scraper?: string;
  status?: RunStatus;
  limit: number;
}

/** `trawl runs`: lists runs, newest first. */
export function register(program: Command): void {
  program
    .command("runs")
    .description("list runs, newest first")
    .option("--resumable", "only runs that `trawl resume` can continue (paused, stopped, interrupted)")
    .option("--scraper <name>", "only runs of this scraper")
    .addOption(new Option("--status <status>", "only runs in this status").choices(RUN_STATUSES))
    .option("--limit <n>", "at most this many", positiveInteger, 50)
    .option("--json", "print the list as JSON on stdout")
    .action((options: RunsOptions) =>
      withApp(options, async (app) => {
        await app.engine.detectInterrupted();
        const statuses = options.resumable ? [...RESUMABLE] : options.status ? [options.status] : undefined;
        const runs = await app.store.runs.list({
          ...(options.scraper && { scraper: options.scraper }),
          ...(statuses && { statuses }),
          limit: options.limit,
        });
        const rows = runs.map((run) => ({
          id: run.id,
          scraper: run.scraper,
          status: run.status,
          createdAt: new Date(run.createdAt).toISOString(),
          pauseReason: run.pauseReason,
          dataset: run.datasetName ? `${run.datasetName}@${run.datasetVersion}` : null,
        }));
        if (options.json) return printJson({ runs: rows });
        printTable(
          ["id", "scraper", "status", "created", "dataset"],
          rows.map((r) => [r.id, r.scraper, r.status, r.createdAt.slice(0, 19).replace("T", " "), r.dataset]),
        );
      }),
    );
}
