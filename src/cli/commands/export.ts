import type { Command } from "commander";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import type { Writable } from "node:stream";
import type { App } from "../../app/index.ts";
import { NotFoundError, UsageError } from "../../core/errors.ts";
import { isRunId } from "../../core/ids.ts";
import { assertExportFormat, collectFields, exportDataset, writeRecords } from "../../datasets/index.ts";
import type { ExportFormat, ScrapedRecord } from "../../pipeline/types.ts";
import { withApp, type GlobalOptions } from "../context.ts";

interface ExportOptions extends GlobalOptions {
  format: string;
  out?: string;
  version?: string;
}

/** `trawl export RUN|DATASET`: writes a run's records or a dataset version as JSONL, CSV or JSON. */
export function register(program: Command): void {
  program
    .command("export")
    .description("export a run's records or a dataset version as jsonl, csv or json")
    .argument("<source>", "a run id (RUN-…) or a dataset name")
    .option("--format <format>", "jsonl, csv or json", "jsonl")
    .option("--out <file>", "write to this file instead of stdout")
    .option("--version <n>", "dataset version (default: the current one)")
    .action((source: string, options: ExportOptions) =>
      withApp(options, async (app) => {
        const format = assertExportFormat(options.format);
        const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
        const written = isRunId(source)
          ? await exportRun(app, source, format, out)
          : await exportDataset(app.paths.datasets, source, format, out, {
              ...(options.version !== undefined && { version: parseVersion(options.version) }),
            });
        if (options.out) {
          out.end();
          await finished(out);
          process.stderr.write(`wrote ${written.records} records to ${options.out}\n`);
        }
      }),
    );
}

/** Exports the final stage of a run (the records after every step that ran). */
async function exportRun(app: App, runId: string, format: ExportFormat, out: Writable) {
  const run = await app.store.runs.get(runId);
  if (!run) throw new NotFoundError("TRAWL_ERR_CLI_RUN_NOT_FOUND", `no run ${runId}`);
  const done = (await app.store.steps.list(runId)).filter((step) => step.status === "done");
  const stage = done.at(-1)?.index ?? 0;
  const records = () => app.store.records.read(runId, stage) as AsyncIterable<ScrapedRecord>;
  // CSV needs its columns up front: a first pass over the stored records finds them.
  const fields = format === "csv" ? await collectFields(records()) : undefined;
  return writeRecords(records(), format, out, fields ? { fields } : {});
}

function parseVersion(raw: string): number {
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) {
    throw new UsageError("TRAWL_ERR_CLI_BAD_VERSION", `--version must be a positive integer, got ${raw}`);
  }
  return version;
}
