import type { Command } from "commander";
import { withApp, type GlobalOptions } from "../context.ts";
import { cliError } from "../errors.ts";
import { printJson, printTable } from "../output.ts";
import { readSecretInput } from "../secret-input.ts";

/** Why `trawl secrets set NAME VALUE` is refused, and what to do instead. */
const NO_ARGV_VALUE =
  "a secret's value is never taken from the command line (other users see it in the process list, " +
  "and it stays in your shell's history): run trawl secrets set NAME and type it at the prompt, " +
  'or pipe it in: printf %s "$TOKEN" | trawl secrets set NAME';

/**
 * `trawl secrets set NAME`, `trawl secrets list`, `trawl secrets rm NAME`: the secrets vault that
 * `{{ secret.NAME }}` reads. Values go in (a hidden prompt, or stdin) and never come out.
 */
export function register(program: Command): void {
  const secrets = program
    .command("secrets")
    .description("keep secrets (tokens, passwords) encrypted for scrapers' {{ secret.NAME }}")
    .option("--json", "print as JSON on stdout");
  secrets
    .command("set")
    .description("create or change a secret: its value from a hidden prompt, or from stdin")
    .argument("<name>", "the secret's name: a letter, then letters, digits, _ or - (at most 64)")
    // A value after the name is taken in, only to be refused with a clear message (never stored).
    .allowExcessArguments(true)
    .option("--json", "print as JSON on stdout")
    .action((name: string, own: GlobalOptions, command: Command) => {
      const options = withParentJson(own, secrets);
      return withApp(options, async (app) => {
        if (command.args.length > 1)
          throw cliError("TRAWL_ERR_CLI_USAGE", { flag: "secrets set", problem: NO_ARGV_VALUE });
        const created = await app.secrets.set(name, await readSecretInput(`value of ${name}: `));
        if (options.json) return printJson({ name, created });
        process.stdout.write(`${created ? "created" : "changed"} secret ${name}\n`);
      });
    });
  secrets
    .command("list")
    .description("list the secrets' names and dates (never their values)")
    .option("--json", "print as JSON on stdout")
    .action((own: GlobalOptions) => {
      const options = withParentJson(own, secrets);
      return withApp(options, async (app) => {
        const all = (await app.secrets.list()).map((secret) => ({
          name: secret.name,
          createdAt: new Date(secret.createdAt).toISOString(),
          updatedAt: new Date(secret.updatedAt).toISOString(),
        }));
        if (options.json) return printJson({ secrets: all });
        if (all.length === 0) return void process.stdout.write("no secrets\n");
        printTable(
          ["name", "created", "changed"],
          all.map((s) => [s.name, s.createdAt, s.updatedAt]),
        );
      });
    });
  secrets
    .command("rm")
    .description("delete a secret: scrapers that read it no longer run")
    .argument("<name>", "the secret's name")
    .option("--json", "print as JSON on stdout")
    .action((name: string, own: GlobalOptions) => {
      const options = withParentJson(own, secrets);
      return withApp(options, async (app) => {
        await app.secrets.remove(name);
        if (options.json) return printJson({ name, deleted: true });
        process.stdout.write(`deleted secret ${name}\n`);
      });
    });
}

/** `trawl secrets --json list` as `trawl secrets list --json`. */
function withParentJson(own: GlobalOptions, parent: Command): GlobalOptions {
  return { ...own, json: own.json || parent.opts<GlobalOptions>().json };
}
