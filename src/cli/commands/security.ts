import type { Command } from "commander";
import { withApp, type GlobalOptions } from "../context.ts";
import { cliError } from "../errors.ts";
import { printJson, printTable } from "../output.ts";
import { readSecretInput } from "../secret-input.ts";

/** Why `trawl security pin set 123456` is refused, and what to do instead. */
const NO_ARGV_PIN =
  "a PIN is never taken from the command line (other users see it in the process list, and it " +
  "stays in your shell's history): type it at the prompt, or pipe it in: " +
  "printf '%s\\n' \"$PIN\" | trawl security pin set";

/**
 * `trawl security`: the app lock's PIN (`pin set|change|remove`), API tokens (`token
 * create|list|revoke`), `unlock-reset`, `auto-lock` and `pin-on-start`. The CLI runs as the data directory's
 * owner and is trusted: it never asks for the PIN, except to change it (docs/security.md).
 */
export function register(program: Command): void {
  const security = program
    .command("security")
    .description("the app lock: PIN, API tokens, attempt limits, auto-lock")
    .option("--json", "print as JSON on stdout");
  registerPin(security);
  registerTokens(security);
  security
    .command("status")
    .description("whether a PIN is set, wrong PINs in a row, the auto-lock minutes")
    .option("--json", "print as JSON on stdout")
    .action((own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        const status = await app.lock.status();
        if (options.json) return printJson(status);
        const lines = [
          `PIN: ${status.pinSet ? "set" : "not set (the access token guards the app)"}`,
          `wrong PINs in a row: ${status.failures}${status.disabled ? " (unlocking disabled: trawl security unlock-reset)" : ""}`,
          `auto-lock: ${status.idleMinutes ? `after ${status.idleMinutes} idle minutes` : "off"}`,
          `PIN on start: ${status.pinOnStart ? "on (a server's start ends every session)" : "off"}`,
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      });
    });
  security
    .command("unlock-reset")
    .description("re-enable unlocking after too many wrong PINs (resets the count)")
    .option("--json", "print as JSON on stdout")
    .action((own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        const failures = await app.lock.resetAttempts();
        if (options.json) return printJson({ reset: true, failures });
        process.stdout.write(`unlock attempts reset (${failures} wrong in a row before)\n`);
      });
    });
  security
    .command("auto-lock")
    .description("end an app session after this many idle minutes, or never (off)")
    .argument("<minutes>", "whole minutes (1 to 1440), or off")
    .option("--json", "print as JSON on stdout")
    .action((value: string, own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        const minutes = value === "off" ? 0 : Number(value);
        if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440)
          throw cliError("TRAWL_ERR_CLI_USAGE", {
            flag: "security auto-lock",
            problem: `give whole minutes from 1 to 1440, or off, not ${value}`,
          });
        await app.lock.setIdleMinutes(minutes);
        if (options.json) return printJson({ idleMinutes: minutes });
        process.stdout.write(minutes ? `auto-lock after ${minutes} idle minutes\n` : "auto-lock off\n");
      });
    });
  security
    .command("pin-on-start")
    .description("whether a server's start ends every app session, so the app asks for the PIN again")
    .argument("<on|off>", "on or off")
    .option("--json", "print as JSON on stdout")
    .action((value: string, own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        if (value !== "on" && value !== "off")
          throw cliError("TRAWL_ERR_CLI_USAGE", {
            flag: "security pin-on-start",
            problem: `give on or off, not ${value}`,
          });
        await app.lock.setPinOnStart(value === "on");
        if (options.json) return printJson({ pinOnStart: value === "on" });
        process.stdout.write(`PIN on start ${value}\n`);
      });
    });
}

function registerPin(security: Command): void {
  const pin = security.command("pin").description("set, change or remove the PIN or passphrase");
  const action =
    (name: string, body: (app: Parameters<Parameters<typeof withApp>[1]>[0]) => Promise<string>) =>
    (own: GlobalOptions, command: Command) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        if (command.args.length > 0)
          throw cliError("TRAWL_ERR_CLI_USAGE", { flag: `security pin ${name}`, problem: NO_ARGV_PIN });
        const done = await body(app);
        if (options.json) return printJson({ pin: done });
        process.stdout.write(`PIN ${done}\n`);
      });
    };
  const described = (name: string, what: string) =>
    pin
      .command(name)
      .description(what)
      .allowExcessArguments(true)
      .option("--json", "print as JSON on stdout");
  described(
    "set",
    "set the PIN (6+ digits) or passphrase (10+ characters): from a hidden prompt, or stdin",
  ).action(
    action("set", async (app) => {
      const [value] = await readPins(["new PIN: ", "again: "], 1);
      await app.lock.setPin(value!);
      return "set";
    }),
  );
  described("change", "change the PIN: the current one, then the new one (two lines on stdin)").action(
    action("change", async (app) => {
      const [current, next] = await readPins(["current PIN: ", "new PIN: ", "again: "], 2);
      await app.lock.changePin(current!, next!);
      return "changed";
    }),
  );
  described("remove", "remove the PIN: the access token alone guards the app again").action(
    action("remove", async (app) => {
      await app.lock.removePin();
      return "removed";
    }),
  );
}

function registerTokens(security: Command): void {
  const token = security.command("token").description("API tokens for scripts while a PIN locks the app");
  token
    .command("create")
    .description("make a token: shown once, kept hashed")
    .argument("<name>", "the token's name: a letter, then letters, digits, _, . or - (at most 64)")
    .option("--json", "print as JSON on stdout")
    .action((name: string, own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        const value = await app.apiTokens.create(name);
        if (options.json) return printJson({ name, token: value });
        process.stderr.write(`token ${name} (shown once: keep it now):\n`);
        process.stdout.write(`${value}\n`);
      });
    });
  token
    .command("list")
    .description("list the tokens' names and dates (never their values)")
    .option("--json", "print as JSON on stdout")
    .action((own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        const all = (await app.apiTokens.list()).map((t) => ({
          name: t.name,
          createdAt: new Date(t.createdAt).toISOString(),
          lastUsedAt: t.lastUsedAt === null ? null : new Date(t.lastUsedAt).toISOString(),
        }));
        if (options.json) return printJson({ tokens: all });
        if (all.length === 0) return void process.stdout.write("no tokens\n");
        printTable(
          ["name", "created", "last used"],
          all.map((t) => [t.name, t.createdAt, t.lastUsedAt ?? "never"]),
        );
      });
    });
  token
    .command("revoke")
    .description("revoke a token: requests carrying it are refused from now on")
    .argument("<name>", "the token's name")
    .option("--json", "print as JSON on stdout")
    .action((name: string, own: GlobalOptions) => {
      const options = withParentJson(own, security);
      return withApp(options, async (app) => {
        await app.apiTokens.revoke(name);
        if (options.json) return printJson({ name, revoked: true });
        process.stdout.write(`revoked token ${name}\n`);
      });
    });
}

/**
 * The `count` values a PIN command needs: on a terminal, each at its hidden prompt (the last
 * prompt, when there is one more, repeats the last value to catch a typo); else one per line of
 * stdin (the secrets prompt's reader, `src/cli/secret-input.ts`).
 */
async function readPins(prompts: string[], count: number): Promise<string[]> {
  if (!process.stdin.isTTY) return (await readSecretInput("")).split(/\r?\n/).slice(0, count);
  const values: string[] = [];
  for (const prompt of prompts.slice(0, count)) values.push(await readSecretInput(prompt));
  if (prompts.length > count && (await readSecretInput(prompts[count]!)) !== values[count - 1])
    throw cliError("TRAWL_ERR_CLI_USAGE", { flag: "security pin", problem: "the two new PINs differ" });
  return values;
}

/** `trawl security --json …` as `trawl security … --json`. */
function withParentJson(own: GlobalOptions, parent: Command): GlobalOptions {
  return { ...own, json: own.json || parent.opts<GlobalOptions>().json };
}
