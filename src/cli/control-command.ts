import type { Command } from "commander";
import { describeRun } from "../app/index.ts";
import { FINAL_RUN_STATUSES } from "../core/contract/values.ts";
import type { RunStatus } from "../core/index.ts";
import type { RunRecord } from "../store/index.ts";
import { withApp, type GlobalOptions } from "./context.ts";
import { printJson } from "./output.ts";

/** How long to wait for another process to obey a command before reporting it as requested. */
const WAIT_MS = 10_000;

type Action = "pause" | "stop" | "cancel";

/** What each command waits for, to report the outcome rather than the request. */
const settled: Record<Action, (run: RunRecord) => boolean> = {
  pause: (run) => run.status !== "running",
  stop: (run) => run.status !== "running" && run.owner === null,
  cancel: (run) => (FINAL_RUN_STATUSES as readonly RunStatus[]).includes(run.status),
};

/** Registers `trawl pause|stop|cancel RUN`: works on runs of this or any other process. */
export function registerControlCommand(program: Command, action: Action, description: string): void {
  program
    .command(action)
    .description(description)
    .argument("<run>", "run id")
    .option("--json", "print the run summary as JSON on stdout")
    .action((runId: string, options: GlobalOptions) =>
      withApp(options, async (app) => {
        let run = await app.engine[action](runId);
        const deadline = Date.now() + WAIT_MS;
        while (!settled[action](run) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          run = (await app.store.runs.get(runId))!;
        }
        if (options.json) return printJson(await describeRun(app.store, run));
        const done = settled[action](run);
        process.stdout.write(
          done
            ? `run ${runId} is ${run.status}\n`
            : `asked run ${runId} to ${action}; it is still ${run.status}\n`,
        );
      }),
    );
}
