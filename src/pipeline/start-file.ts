/**
 * Reads the start URLs of a `{ file }` start source: a CSV column (csv-parse) or one URL per line.
 * Streamed: a file of a million lines is never held in memory; each URL is checked as it is read,
 * so a bad row is reported with its file and line before anything is stored.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Hash } from "node:crypto";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { normalizeUrl } from "../fetch/index.ts";
import { pipelineError } from "./errors.ts";
import type { StartSource } from "./start-schema.ts";

/** A `{ file }` start source, compiled. */
export type FileStartSource = Extract<StartSource, { kind: "file" }>;

/** A start URL and the line of the file it is on (1-based). */
export interface StartFileUrl {
  url: string;
  line: number;
}

const startDataError = (message: string, details: Record<string, unknown>, cause?: unknown) =>
  pipelineError("TRAWL_ERR_PIPELINE_START_DATA", message, { details, ...(cause !== undefined && { cause }) });

/** Fails unless `value` is an absolute http(s) URL; returns it trimmed. */
function checkedUrl(source: FileStartSource, line: number, value: string | undefined): string {
  const url = (value ?? "").trim();
  if (normalizeUrl(url) === null) {
    throw startDataError(`${source.file}:${line}: ${JSON.stringify(url)} is not an absolute http(s) URL`, {
      file: source.path,
      line,
      value: url,
    });
  }
  return url;
}

/** Opens the file, failing with the path when it is missing or not a file. */
async function open(source: FileStartSource, digest?: Hash): Promise<Readable> {
  const info = await stat(source.path).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === "ENOENT" ? "not found" : `cannot be read (${error.code ?? error.message})`;
    throw startDataError(
      `start file ${source.file} ${why} (looked for ${source.path})`,
      { file: source.path },
      error,
    );
  });
  if (!info.isFile()) {
    throw startDataError(`start file ${source.file} is not a file (${source.path})`, { file: source.path });
  }
  const stream = createReadStream(source.path);
  if (digest) stream.on("data", (chunk) => digest.update(chunk));
  return stream;
}

/** One URL per line; blank lines and lines starting with `#` are skipped. */
async function* readLines(source: FileStartSource, input: Readable): AsyncGenerator<StartFileUrl> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    const trimmed = text.replace(/^\uFEFF/, "").trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    yield { url: checkedUrl(source, line, trimmed), line };
  }
}

/** The column's index in the header, or an error naming the columns there are. */
function columnIndex(source: FileStartSource, header: string[] | undefined): number {
  const column = source.column!;
  const index = header?.indexOf(column) ?? -1;
  if (index >= 0) return index;
  const there = header && header.length > 0 ? `its columns: ${header.join(", ")}` : "it has no header line";
  throw startDataError(`start file ${source.file} has no column "${column}" (${there})`, {
    file: source.path,
    column,
    columns: header ?? [],
  });
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

/** The named column of a CSV with a header line; a row without that cell counts as an empty value. */
async function* readCsvColumn(source: FileStartSource, input: Readable): AsyncGenerator<StartFileUrl> {
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: source.delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  input.on("error", (error) => parser.destroy(error));
  let index = -1;
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRow>) {
      if (index < 0) index = columnIndex(source, record);
      else yield { url: checkedUrl(source, info.lines, record[index]), line: info.lines };
    }
  } catch (error) {
    if ((error as { code?: string }).code === "TRAWL_ERR_PIPELINE_START_DATA") throw error;
    throw startDataError(
      `start file ${source.file}: ${(error as Error).message}`,
      { file: source.path },
      error,
    );
  } finally {
    input.destroy();
  }
  if (index < 0) columnIndex(source, undefined);
}

/**
 * The start URLs of a file source, in file order, each checked (an absolute http(s) URL).
 * `digest`, when given, is fed the file's bytes (a run pins the file's hash at its start).
 *
 * @throws TRAWL_ERR_PIPELINE_START_DATA (exit code 2): a missing file, a missing column (naming
 *   the columns there are), a value that is not an http(s) URL (file, line and value), bad CSV.
 */
export async function* readStartFile(source: FileStartSource, digest?: Hash): AsyncGenerator<StartFileUrl> {
  const input = await open(source, digest);
  try {
    yield* source.column === undefined ? readLines(source, input) : readCsvColumn(source, input);
  } finally {
    input.destroy();
  }
}

/**
 * Reads every start file of the targets through, as `trawl validate` does: a definition whose
 * files are wrong is invalid. Datasets are not checked here: they live in a data directory.
 *
 * @throws TRAWL_ERR_PIPELINE_START_DATA, as {@link readStartFile}.
 */
export async function checkStartFiles(
  targets: readonly { sources?: readonly StartSource[] }[],
): Promise<number> {
  let urls = 0;
  for (const source of targets.flatMap((target) => target.sources ?? [])) {
    if (source.kind !== "file") continue;
    for await (const _url of readStartFile(source)) urls++;
  }
  return urls;
}
