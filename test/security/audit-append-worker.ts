/**
 * A process that appends to an audit log: `node --import tsx audit-append-worker.ts HOME COUNT
 * ACTOR`. Prints `ready` once its store is open, waits for a line on stdin (so two workers start
 * appending together), appends COUNT entries, prints `done`.
 */
import { homePaths, systemClock } from "../../src/core/index.ts";
import { AuditLog } from "../../src/security/index.ts";
import { openSqliteStore } from "../../src/store/index.ts";

const [home, count, actor] = process.argv.slice(2);
const paths = homePaths(home!);
const store = openSqliteStore(paths.database, { backupDir: paths.backups });
const log = new AuditLog(store.audit, paths.auditHead, systemClock);
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  for (let i = 0; i < Number(count); i++)
    await log.append({ actor: actor as "cli" | "api", action: "run.started", subject: `RUN-${actor}-${i}` });
  await store.close();
  process.stdout.write("done\n");
  process.exit(0);
});
