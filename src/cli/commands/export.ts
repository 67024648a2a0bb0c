import type { Command } from "commander";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { finished } from "node:stream/promises";
import type { Writable } from "node:stream";
import type { App } from "../../app/index.ts";
import { RunNotFoundError, isRunId } from "../../core/index.ts";
import { assertExportFormat, collectFields, writeRecords } from "../../datasets/index.ts";
import type { ExportFormat, ScrapedRecord } from "../../core/index.ts";
import { openRecording, writeHar, writeWarc } from "../../replay/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { cliError } from "../errors.ts";
import { datasetVersion } from "../option-parsers.ts";
import { printJson } from "../output.ts";

interface ExportOptions extends GlobalOptions {
  format: string;
  out?: string;
  version?: string;
}

/** Formats of a run's recording rather than of its records. */
const RECORDING_FORMATS = ["warc", "har"] as const;
type RecordingFormat = (typeof RECORDING_FORMATS)[number];

/**
 * `trawl export RUN|DATASET`: writes a run's records or a dataset version as JSONL, CSV or JSON,
 * or a run's recording as WARC or HAR.
 */
export function register(program: Command): void {
  program
    .command("export")
    .description(
      "export a run's records or a dataset version as jsonl, csv or json, or a run's recording as warc or har",
    )
    .argument("<source>", "a run id (RUN-…) or a dataset name")
    .option("--format <format>", "jsonl, csv or json; warc or har: a recorded run's captures", "jsonl")
    .option("--out <file>", "write to this file instead of stdout (warc, har: default RUN-….warc, RUN-….har)")
    .option("--version <n>", "dataset version (default: the current one)")
    .option("--json", "warc, har: print { file, format, records } as JSON on stdout")
    .action((source: string, options: ExportOptions) =>
      withApp(options, async (app) => {
        if (isRecordingFormat(options.format)) return exportRecording(app, source, options.format, options);
        const format = assertExportFormat(options.format);
        const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
        const written = isRunId(source)
          ? await exportRun(app, source, format, out)
          : await app.datasets.export(source, format, out, {
              ...(options.version !== undefined && { version: datasetVersion(options.version) }),
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
  if (!run) throw new RunNotFoundError(runId);
  const done = (await app.store.steps.list(runId)).filter((step) => step.status === "done");
  const stage = done.at(-1)?.index ?? 0;
  const records = () => app.store.records.read(runId, stage) as AsyncIterable<ScrapedRecord>;
  // CSV needs its columns up front: a first pass over the stored records finds them.
  const fields = format === "csv" ? await collectFields(records()) : undefined;
  return writeRecords(records(), format, out, fields ? { fields } : {});
}

function isRecordingFormat(format: string): format is RecordingFormat {
  return (RECORDING_FORMATS as readonly string[]).includes(format);
}

/**
 * Writes a run's recording to `--out` (a name ending in `.gz`: a gzipped WARC) or `RUN-….warc` /
 * `RUN-….har` in the current directory; a file left half written by a failure is removed.
 */
async function exportRecording(app: App, source: string, format: RecordingFormat, options: ExportOptions) {
  if (!isRunId(source)) {
    throw cliError(
      "TRAWL_ERR_CLI_RECORDING_NEEDS_RUN",
      `--format ${format} exports a run's recording: give a run id (RUN-…), not a dataset (${source})`,
    );
  }
  if (options.version !== undefined) {
    throw cliError("TRAWL_ERR_CLI_BAD_VERSION", `--version is for datasets, not --format ${format}`);
  }
  const recording = await openRecording(app.store, app.paths.blobs, source);
  const file = resolve(options.out ?? `${source}.${format}`);
  const out = createWriteStream(file);
  let outError: unknown;
  out.on("error", (error) => (outError ??= error));
  try {
    const written =
      format === "har"
        ? await writeHar(recording, out)
        : await writeWarc(recording, out, { gzip: file.endsWith(".gz"), filename: basename(file) });
    out.end();
    await finished(out);
    const what = format === "har" ? "HAR entries" : "WARC records";
    if (options.json) printJson({ file, format, records: written.records });
    else process.stderr.write(`wrote ${written.records} ${what} to ${file}\n`);
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    // A write that failed (disk full, no such folder) is the cause of whatever followed.
    throw outError ?? error;
  }
}
