import type { Command } from "commander";
import { configWithFlags, ExitCode, homePaths, systemClock } from "../../core/index.ts";
import { AuditLog, type AuditVerification } from "../../security/index.ts";
import { copySqliteToPg, openPgStore, type CopyProgress, type CopyReport } from "../../store/index.ts";
import { withoutApp, type GlobalOptions } from "../context.ts";
import { cliError } from "../errors.ts";
import { printJson, printTable } from "../output.ts";

interface CopyOptions extends GlobalOptions {
  to: string;
}

/** On a terminal, one line on stderr that counts the rows copied; elsewhere nothing. */
function progressLine(): ((progress: CopyProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ table, rowsDone, rowsTotal, tableIndex, tables }) =>
    process.stderr.write(
      `\rcopying ${table} (table ${tableIndex + 1} of ${tables}): ${rowsDone}/${rowsTotal} rows\x1b[K`,
    );
}

/** The audit chain as the copied store holds it, checked against the data directory's head file. */
async function verifyAudit(url: string, home: string): Promise<AuditVerification> {
  const store = await openPgStore(url, { maxConnections: 2 });
  try {
    return await new AuditLog(store.audit, homePaths(home).auditHead, systemClock).verify();
  } finally {
    await store.close();
  }
}

function printReport(report: CopyReport, audit: AuditVerification): void {
  printTable(
    ["table", "sqlite rows", "postgres rows", "sha256 (both sides)", "NULs mapped", "verified"],
    report.tables.map((t) => [
      t.table,
      t.sqliteRows,
      t.postgresRows,
      t.sqliteSha256 === t.postgresSha256 ? `${t.sqliteSha256.slice(0, 16)}…` : "differ",
      t.valuesMapped,
      t.equal ? "yes" : "NO",
    ]),
  );
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `${report.rows} rows in ${report.tables.length} tables copied in ${report.seconds.toFixed(1)} s, one transaction`,
  );
  const ids = report.identities.map((i) => `${i.table}.${i.column} from ${i.next}`).join(", ");
  out(`ids continue: ${ids}`);
  out(
    audit.intact
      ? `audit chain on PostgreSQL: intact, ${audit.entries} entries, head ${audit.head.seq}`
      : `audit chain on PostgreSQL: BROKEN: ${audit.problem!.message}`,
  );
}

/** `trawl db copy --to URL`: moves a SQLite installation's database into PostgreSQL, verified. */
export function register(program: Command): void {
  const db = program.command("db").description("the database: copy a SQLite installation into PostgreSQL");
  db.command("copy")
    .description(
      "copy the data directory's SQLite database (every table) into an empty PostgreSQL database, in one transaction, and verify it",
    )
    .requiredOption(
      "--to <url>",
      "the PostgreSQL database to fill, postgres://user:password@host:5432/database",
    )
    .option("--json", "print the per-table report as JSON on stdout")
    .action((copyOptions: CopyOptions) => {
      const options = { ...copyOptions, json: copyOptions.json || db.opts<GlobalOptions>().json };
      return withoutApp(options, async () => {
        // The source is always the data directory's SQLite file, whatever --database says.
        const { home } = configWithFlags({ home: options.home });
        if (!/^postgres(ql)?:\/\/\S+$/.test(options.to)) {
          // Never echoed: it may hold a password.
          throw cliError("TRAWL_ERR_CLI_USAGE", {
            flag: "--to",
            problem: "must be a PostgreSQL URL, postgres://user:password@host:5432/database",
          });
        }
        const report = await copySqliteToPg(homePaths(home).database, options.to, {
          onProgress: progressLine(),
        });
        if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
        const audit = await verifyAudit(options.to, home);
        if (options.json) printJson({ ...report, audit });
        else printReport(report, audit);
        return audit.intact ? ExitCode.ok : ExitCode.failed;
      });
    });
}
