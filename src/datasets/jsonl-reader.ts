/** Streaming reader of a `records.jsonl` file. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { DatasetCorruptError } from "./errors.ts";
import type { ScrapedRecord } from "../core/index.ts";

/**
 * Yields the records of a jsonl file one at a time. Empty lines are skipped (a trailing newline
 * is normal). Breaking out of the loop closes the file.
 * @throws {DatasetCorruptError} on a line that is not a JSON object, naming the line number.
 */
export async function* readJsonl(path: string): AsyncGenerator<ScrapedRecord> {
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.length === 0) continue;
      yield parseLine(line, path, lineNumber);
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

function parseLine(line: string, path: string, lineNumber: number): ScrapedRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new DatasetCorruptError(`${path}:${lineNumber}: not valid JSON`, {
      cause,
      details: { path, line: lineNumber },
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DatasetCorruptError(`${path}:${lineNumber}: not a JSON object`, {
      details: { path, line: lineNumber },
    });
  }
  return value as ScrapedRecord;
}
