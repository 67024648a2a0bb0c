import type { Command } from "commander";
import { listFleet } from "../../app/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { formatDuration, printJson, printTable } from "../output.ts";

/**
 * `trawl workers`: the processes executing runs on this database (`trawl worker`, and `run`,
 * `resume`, `serve`, `scheduler` while they execute one), as each last reported itself.
 */
export function register(program: Command): void {
  program
    .command("workers")
    .description("list the processes executing runs (on every machine sharing the database)")
    .option("--json", "print the list as JSON on stdout")
    .action((options: GlobalOptions) =>
      withApp(options, async (app) => {
        const now = app.clock.now();
        const fleet = await listFleet(app.store, now);
        if (options.json) return printJson(fleet);
        if (fleet.workers.length === 0) {
          process.stdout.write("no process is executing runs\n");
          return;
        }
        printTable(
          ["host", "pid", "kind", "runs", "leases", "pages/s", "heartbeat"],
          fleet.workers.map((w) => [
            w.host,
            w.pid,
            w.kind,
            w.runs.length > 0 ? w.runs.join(",") : "-",
            w.leases,
            w.pagesPerSecond,
            `${formatDuration(now - Date.parse(w.heartbeatAt))} ago${w.stale ? " (stale)" : ""}`,
          ]),
        );
      }),
    );
}
