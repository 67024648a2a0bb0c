import type { Command } from "commander";
import { ExitCode } from "../../core/index.ts";
import { parseDuration } from "../../scheduler/index.ts";
import {
  auditEntryView,
  checkAuditAction,
  securityError,
  type AuditVerification,
} from "../../security/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { positiveInteger } from "../option-parsers.ts";
import { printJson, printTable } from "../output.ts";

interface AuditOptions extends GlobalOptions {
  since?: string;
  action?: string;
  limit: number;
}

/**
 * `--since`: a duration back from now (`90m`, `24h`, `7d`) or a date or instant (`2026-12-01`,
 * `2026-12-01T09:00:00Z`); Unix ms.
 */
function sinceInstant(text: string, now: number): number {
  if (/^\d+(\.\d+)?[a-z]/i.test(text.trim())) {
    try {
      return now - parseDuration(text, "--since");
    } catch {
      // Not a duration after all (a date starting with digits and a letter): try it as a date.
    }
  }
  const instant = Date.parse(text);
  if (Number.isNaN(instant))
    throw securityError("TRAWL_ERR_SECURITY_AUDIT_FILTER", {
      problem: `--since "${text}" is neither a duration (24h, 7d) nor a date (2026-12-01, 2026-12-01T09:00:00Z)`,
    });
  return instant;
}

/** The verification in one line for people. */
function describeVerification(result: AuditVerification): string {
  if (!result.intact) return `broken: ${result.problem!.message} (${result.entries} entries sound before it)`;
  const head = `head ${result.head.seq} ${result.head.hash.slice(0, 16)}…`;
  const lag = result.headLag > 0 ? `; the head file was ${result.headLag} behind and was caught up` : "";
  return `intact, ${result.entries} entries, ${head}${lag}`;
}

/** `trawl audit` (the log, newest last) and `trawl audit verify` (the hash chain and head file). */
export function register(program: Command): void {
  const audit = program
    .command("audit")
    .description("list the audit log (who started, stopped or changed what), newest last")
    .option("--since <when>", "only entries since a duration ago (24h, 7d) or a date (2026-12-01)")
    .option("--action <name>", "only entries of this action (run.started, schedule.deleted…)")
    .option("--limit <n>", "at most this many (the newest)", positiveInteger, 100)
    .option("--json", "print the entries as JSON on stdout")
    .action((options: AuditOptions) =>
      withApp(options, async (app) => {
        const filter = {
          ...(options.since !== undefined && { since: sinceInstant(options.since, app.clock.now()) }),
          ...(options.action !== undefined && { action: checkAuditAction(options.action) }),
        };
        const entries = (await app.audit.list({ ...filter, limit: options.limit })).map(auditEntryView);
        if (options.json) return printJson({ entries, total: await app.audit.count(filter) });
        if (entries.length === 0) return void process.stdout.write("no audit entries\n");
        printTable(
          ["seq", "time", "actor", "action", "subject", "details"],
          entries.map((e) => [
            e.seq,
            e.at.slice(0, 19).replace("T", " "),
            e.actorName ? `${e.actor}:${e.actorName}` : e.actor,
            e.action,
            e.subject,
            Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : null,
          ]),
        );
      }),
    );
  audit
    .command("verify")
    .description("check the audit log's hash chain and head file; exit 1 naming the first broken entry")
    .option("--json", "print the result as JSON on stdout")
    .action((verifyOptions: GlobalOptions) => {
      const options = { ...verifyOptions, json: verifyOptions.json || audit.opts<GlobalOptions>().json };
      return withApp(options, async (app) => {
        const result = await app.audit.verify();
        if (options.json) printJson(result);
        else process.stdout.write(`${describeVerification(result)}\n`);
        return result.intact ? ExitCode.ok : ExitCode.failed;
      });
    });
  audit
    .command("reset-head")
    .description(
      "make the head file record the chain's last entry (after restoring a database backup); logged",
    )
    .option("--json", "print the result as JSON on stdout")
    .action((resetOptions: GlobalOptions) => {
      const options = { ...resetOptions, json: resetOptions.json || audit.opts<GlobalOptions>().json };
      return withApp(options, async (app) => {
        const { reset, now } = await app.audit.resetHead("cli");
        if (options.json) return printJson({ reset, ...now });
        process.stdout.write(
          reset
            ? `reset: ${reset.message}; now ${describeVerification(now)}\n`
            : `nothing to reset: ${describeVerification(now)}\n`,
        );
      });
    });
}
