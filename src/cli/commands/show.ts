import type { Command } from "commander";
import { describeRun } from "../../app/index.ts";
import { RunNotFoundError } from "../../core/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { printRunSummary } from "../execute-run.ts";
import { formatDuration, printJson, printTable } from "../output.ts";
import { printHostStats } from "../print-host-stats.ts";
import { printProxyStats } from "../print-proxy-stats.ts";
import { printSelectorHealth } from "../print-selector-health.ts";

/** `trawl show RUN`: everything about one run: targets, steps, errors by reason, stats per run and host. */
export function register(program: Command): void {
  program
    .command("show")
    .description("show a run: targets, steps, errors by reason, fetch statistics")
    .argument("<run>", "run id")
    .option("--json", "print as JSON on stdout")
    .action((runId: string, options: GlobalOptions) =>
      withApp(options, async (app) => {
        await app.engine.detectInterrupted();
        const run = await app.store.runs.get(runId);
        if (!run) throw new RunNotFoundError(runId);
        const summary = await describeRun(app.store, run);
        if (options.json) return printJson(summary);
        printRunSummary(summary);
        process.stdout.write("\n");
        printTable(
          ["step", "status", "records", "took"],
          summary.steps.map((s) => [s.name, s.status, s.records, formatDuration(s.durationMs)]),
        );
        const stats = summary.stats;
        if (stats.requests !== undefined) {
          const codes = Object.entries(stats.statusCodes ?? {})
            .map(([code, n]) => `${code}×${n}`)
            .join(" ");
          process.stdout.write(
            `\nrequests ${stats.requests} (retries ${stats.retries}` +
              `${stats.notModified ? `, ${stats.notModified} not modified` : ""}), ` +
              `${((stats.bytes ?? 0) / 1e6).toFixed(1)} MB, ` +
              `${stats.pagesPerSecond} pages/s, latency p50 ${stats.latencyMs?.p50} ms p95 ${stats.latencyMs?.p95} ms\n` +
              `status codes: ${codes || "-"}\n`,
          );
          printHostStats(stats.hosts);
          printProxyStats(stats.proxies);
        }
        printSelectorHealth(summary.selectors);
        if (summary.recorded) {
          process.stdout.write(`\nrecorded: replay it offline with \`trawl replay ${summary.id}\`\n`);
        }
      }),
    );
}
