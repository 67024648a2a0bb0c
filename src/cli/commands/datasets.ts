import type { Command } from "commander";
import { withApp, type GlobalOptions } from "../context.ts";
import { datasetVersion } from "../option-parsers.ts";
import { printJson, printTable } from "../output.ts";

interface VerifyOptions extends GlobalOptions {
  version?: string;
}

/** `trawl datasets` and `trawl datasets verify NAME`. */
export function register(program: Command): void {
  const datasets = program
    .command("datasets")
    .description("list datasets and their versions")
    .option("--json", "print as JSON on stdout")
    .action((options: GlobalOptions) =>
      withApp(options, async (app) => {
        const all = await app.datasets.list();
        if (options.json) return printJson({ datasets: all });
        printTable(
          ["dataset", "current", "versions", "records", "run", "created"],
          all.map((d) => {
            const current = d.versions.find((v) => v.version === d.current);
            return [
              d.name,
              d.current,
              d.versions.length,
              current?.records ?? null,
              current?.runId ?? null,
              current?.createdAt ?? null,
            ];
          }),
        );
      }),
    );
  datasets
    .command("verify")
    .description("recompute every checksum of a dataset version against its manifest")
    .argument("<name>", "dataset name")
    .option("--version <n>", "version to verify (default: the current one)")
    .option("--json", "print as JSON on stdout")
    .action((name: string, verifyOptions: VerifyOptions) => {
      // `datasets` has its own --json, and commander gives a flag to the parent first.
      const options = { ...verifyOptions, json: verifyOptions.json || datasets.opts<GlobalOptions>().json };
      return withApp(options, async (app) => {
        const version = options.version === undefined ? undefined : datasetVersion(options.version);
        const result = await app.datasets.verify(name, version);
        if (options.json) printJson(result);
        else if (result.ok) process.stdout.write(`${name} v${result.version}: ok\n`);
        else
          process.stdout.write(
            `${name} v${result.version}: FAILED\n${result.problems.map((p) => `  ${p}\n`).join("")}`,
          );
        return result.ok ? 0 : 1;
      });
    });
}
