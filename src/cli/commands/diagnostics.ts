import type { Command } from "commander";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { finished } from "node:stream/promises";
import { exportDiagnostics, diagnosticsFileName } from "../../app/index.ts";
import { describeError } from "../../core/index.ts";
import { observeError } from "../../observe/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { printJson } from "../output.ts";

interface DiagnosticsCommandOptions extends GlobalOptions {
  out?: string;
  quickCheck?: boolean;
}

/**
 * `trawl diagnostics [--out FILE]`: writes the diagnostics bundle (a zip, secrets removed) to a
 * file, by default `trawl-diagnostics-<UTC time>.zip` in the working directory, and prints its path.
 */
export function register(program: Command): void {
  program
    .command("diagnostics")
    .description("write a diagnostics bundle (a zip to attach to a bug report; secrets removed)")
    .option("--out <file>", "the zip to write (default: trawl-diagnostics-<time>.zip here)")
    .option("--quick-check", "check the database with quick_check (skips the indexes), not integrity_check")
    .option("--json", "print { file, bytes, sections, redaction } as JSON on stdout")
    .action((options: DiagnosticsCommandOptions) =>
      withApp(options, async (app) => {
        const file = resolve(options.out ?? diagnosticsFileName(app.clock.now()));
        // Written beside it and renamed once whole: a failed bundle leaves no half zip.
        const partial = `${file}.partial`;
        const out = await openOutput(partial);
        try {
          const summary = await exportDiagnostics(app, out, {
            destination: file,
            integrityCheck: options.quickCheck ? "quick" : "full",
          });
          out.end();
          await finished(out);
          await rename(partial, file);
          if (options.json) return printJson({ file, ...summary });
          const missing = summary.sections.filter((section) => section.status !== "ok");
          for (const section of missing)
            process.stderr.write(
              `${section.name}: ${section.status}${section.note ? ` (${section.note})` : ""}\n`,
            );
          process.stderr.write(`${summary.redaction.total} values redacted (see redaction.json)\n`);
          process.stdout.write(`${file}\n`);
        } catch (error) {
          out.destroy();
          await rm(partial, { force: true });
          throw error;
        }
      }),
    );
}

/** The file to write, open (mode 0600); `TRAWL_ERR_OBSERVE_BUNDLE` when it cannot be (no such folder, no right). */
async function openOutput(path: string): Promise<WriteStream> {
  const out = createWriteStream(path, { mode: 0o600 });
  try {
    await once(out, "open");
  } catch (error) {
    throw observeError("TRAWL_ERR_OBSERVE_BUNDLE", { problem: describeError(error) }, { cause: error });
  }
  // A later failure (a full disk) is seen by the zip's writes and by `finished`, not as a crash.
  out.on("error", () => undefined);
  return out;
}
