import { trawlConfig, ExitCode, TrawlError, describeError } from "../core/index.ts";

/** Prints the one JSON document a `--json` command promises, on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as aligned columns (a header row first). */
export function printTable(header: string[], rows: (string | number | null)[][]): void {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? "-" : String(cell))))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  for (const row of cells) {
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
}

/** A duration for people: `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;
}

/**
 * Reports an error that ends a command and returns the exit code: 2 for bad input, 1 otherwise.
 * With `--json` the error is the JSON document; the message also goes to stderr.
 */
export function reportError(error: unknown, json: boolean): number {
  const trawlError = error instanceof TrawlError ? error : undefined;
  const formatted = formatForPeople(error);
  process.stderr.write(`trawl: ${formatted}\n`);
  if (json) {
    printJson({
      error: {
        code: trawlError?.code ?? "TRAWL_ERR_CORE_INTERNAL",
        message: describeError(error),
        ...(trawlError && Object.keys(trawlError.details).length > 0 && { details: trawlError.details }),
      },
    });
  }
  if (!trawlError && trawlConfig().debug) process.stderr.write(`${(error as Error)?.stack}\n`);
  return trawlError?.exitCode ?? ExitCode.failed;
}

function formatForPeople(error: unknown): string {
  const located = error as { format?: () => string };
  // Definition errors list every problem, one `file:line:column field: message` per line.
  if (error instanceof TrawlError && typeof located.format === "function") {
    return `invalid scraper definition:\n${located.format()}`;
  }
  return describeError(error);
}
