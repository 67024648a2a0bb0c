import { join } from "node:path";

/**
 * Where each kind of file lives inside a data directory (the process's is `trawlConfig().home`,
 * see config.ts); everything trawl stores lives below it.
 */
export function homePaths(home: string) {
  return {
    home,
    database: join(home, "trawl.db"),
    backups: join(home, "backups"),
    datasets: join(home, "datasets"),
    /** Recorded bodies and screenshots, by SHA-256. */
    blobs: join(home, "blobs"),
    /** Browser cookies and storage, one file per scraper. */
    sessions: join(home, "sessions"),
    /** The access token the API asks for (mode 0600; see security/access-token.ts). */
    accessToken: join(home, "access-token"),
    /** The audit log's chain head (sequence number and hash), kept outside the database. */
    auditHead: join(home, "audit-head.json"),
    /** The secrets vault's key file (`master.key`), when no `TRAWL_MASTER_KEY` is set. */
    keys: join(home, "keys"),
    /** The process logs: JSON lines, rotated by size and day (observe/process-log.ts, docs/logs.md). */
    logs: join(home, "logs"),
    /** Crash reports, one JSON file per crash (observe/crash-report.ts, docs/logs.md). */
    crashes: join(home, "crashes"),
  };
}
