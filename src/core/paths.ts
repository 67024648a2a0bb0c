import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The data directory: `$TRAWL_HOME`, else `${XDG_DATA_HOME:-~/.local/share}/trawl` (DESIGN.md §4).
 * Everything trawl stores lives below it.
 */
export function trawlHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRAWL_HOME) return env.TRAWL_HOME;
  const dataHome = env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(dataHome, "trawl");
}

/** Where each kind of file lives inside a data directory. */
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
  };
}
