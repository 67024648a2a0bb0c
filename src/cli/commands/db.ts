import type { Command } from "commander";
import { configWithFlags, ExitCode, homePaths, systemClock } from "../../core/index.ts";
import { AuditLog, type AuditVerification } from "../../security/index.ts";
import { shareLocalVersions, type ShareReport } from "../../datasets/index.ts";
import {
  copyBlobsToPg,
  copySqliteToPg,
  openPgStore,
  type BlobShareReport,
  type CopyProgress,
  type CopyReport,
} from "../../store/index.ts";
import { withoutApp, type GlobalOptions } from "../context.ts";
import { cliError } from "../errors.ts";
import { printJson, printTable } from "../output.ts";

interface CopyOptions extends GlobalOptions {
  to: string;
  filesOnly?: boolean;
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

/** The files of the data directory moved into the database too: datasets and recorded blobs. */
interface FilesCopied {
  datasets: ShareReport;
  blobs: BlobShareReport;
}

/**
 * Stores the data directory's dataset versions (each verified, under its own number) and
 * recorded blobs in the database, so every machine on it reads them (docs/datasets.md).
 */
async function copyFiles(url: string, home: string): Promise<FilesCopied> {
  const paths = homePaths(home);
  const blobs = await copyBlobsToPg(paths.blobs, url);
  const store = await openPgStore(url, { maxConnections: 2 });
  try {
    return { datasets: await shareLocalVersions(paths.datasets, store.datasetFiles!), blobs };
  } finally {
    await store.close();
  }
}

/** Whether every dataset version and blob was copied. */
const filesComplete = ({ datasets, blobs }: FilesCopied) =>
  datasets.problems.length === 0 && blobs.mismatched.length === 0;

function printFiles({ datasets, blobs }: FilesCopied): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `files: ${datasets.copied} dataset versions and ${blobs.copied} recorded blobs copied` +
      ` (${datasets.present + blobs.present} there already)`,
  );
  for (const problem of datasets.problems) out(`not copied, does not verify: ${problem}`);
  for (const sha256 of blobs.mismatched) out(`not copied, content does not match its name: blob ${sha256}`);
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
      "copy the data directory's SQLite database (every table) into an empty PostgreSQL database, in one transaction, and verify it; then its datasets and recorded blobs",
    )
    .requiredOption(
      "--to <url>",
      "the PostgreSQL database to fill, postgres://user:password@host:5432/database",
    )
    .option(
      "--files-only",
      "copy only the datasets and recorded blobs (again after a copy that did not copy them all; those there already are kept)",
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
        if (options.filesOnly) {
          const files = await copyFiles(options.to, home);
          if (options.json) printJson({ files });
          else printFiles(files);
          return filesComplete(files) ? ExitCode.ok : ExitCode.failed;
        }
        const report = await copySqliteToPg(homePaths(home).database, options.to, {
          onProgress: progressLine(),
        });
        if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
        const audit = await verifyAudit(options.to, home);
        const files = await copyFiles(options.to, home);
        if (options.json) printJson({ ...report, audit, files });
        else {
          printReport(report, audit);
          printFiles(files);
        }
        return audit.intact && filesComplete(files) ? ExitCode.ok : ExitCode.failed;
      });
    });
}
