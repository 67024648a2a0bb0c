/**
 * A process that appends to an audit log: `node --import tsx audit-append-worker.ts HOME COUNT
 * ACTOR`. Prints `ready` once its store is open, waits for a line on stdin (so two workers start
 * appending together), appends at least COUNT entries, a millisecond apart, and goes on until one of its entries came
 * right after another process's (proof that the two really appended at the same time; at most
 * 20 × COUNT entries), then prints `done N` with the number it appended.
 */
import { homePaths, systemClock } from "../../src/core/index.ts";
import { AuditLog } from "../../src/security/index.ts";
import { openSqliteStore } from "../../src/store/index.ts";

const [home, count, actor] = process.argv.slice(2) as [string, string, "cli" | "api"];
const paths = homePaths(home);
const store = openSqliteStore(paths.database, { backupDir: paths.backups });
const log = new AuditLog(store.audit, paths.auditHead, systemClock);
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  let appended = 0;
  let interleaved = false;
  while (appended < Number(count) || (!interleaved && appended < 20 * Number(count))) {
    const entry = await log.append({ actor, action: "run.started", subject: `RUN-${actor}-${appended}` });
    appended++;
    // A breath between appends, as between real commands: back to back, one process would retake
    // SQLite's write lock before the other's busy handler wakes, and starve it.
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (!interleaved && entry.seq > 1) interleaved = (await store.audit.get(entry.seq - 1))?.actor !== actor;
  }
  await store.close();
  process.stdout.write(`done ${appended}\n`);
  process.exit(0);
});
