import type { Command } from "commander";
import { appError, describeRun, loadScraper } from "../../app/index.ts";
import { RunNotFoundError } from "../../core/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { executeRun } from "../execute-run.ts";
import { printJson } from "../output.ts";

interface ResumeOptions extends GlobalOptions {
  scraper?: string;
}

/** `trawl resume RUN`: continues a paused, stopped or interrupted run exactly where it was. */
export function register(program: Command): void {
  program
    .command("resume")
    .description("resume a paused, stopped or interrupted run")
    .argument("<run>", "run id")
    .option("--scraper <file>", "definition to continue with (default: the file the run was started from)")
    .option("--json", "print the run summary as JSON on stdout")
    .action((runId: string, options: ResumeOptions) =>
      withApp(options, async (app) => {
        await app.engine.detectInterrupted();
        const run = await app.store.runs.get(runId);
        // Paused by a live process: that process continues it.
        if (run?.status === "paused" && run.owner) {
          const resumed = await app.engine.resume(runId);
          if (options.json) printJson(await describeRun(app.store, resumed));
          else process.stdout.write(`asked the process executing ${runId} to resume\n`);
          return;
        }
        if (!run) throw new RunNotFoundError(runId);
        const file = options.scraper ?? run.source;
        if (!file) {
          throw appError(
            "TRAWL_ERR_APP_NO_DEFINITION",
            `run ${runId} has no definition file; pass --scraper FILE`,
          );
        }
        const scraper = await loadScraper(file);
        return executeRun(app, runId, scraper, options.json ? "json" : "text");
      }),
    );
}
