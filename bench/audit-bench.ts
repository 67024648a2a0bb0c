/**
 * The audit scenario of `npm run bench` (alone: `npm run bench -- --audit [--audit-entries N]`),
 * issue 15 §5: builds an audit log of 1,000,000 entries (the store's own append, in one enclosing
 * transaction so the build takes seconds, not an hour of fsyncs) in a real SQLite file, then
 * times `AuditLog.verify` over it three times: every entry read, re-encoded, hashed and linked,
 * and the head file compared. Prints the median and the goal (under 5 s). Reports, never fails on
 * the goal. See bench/README.md.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { homePaths, systemClock } from "../src/core/index.ts";
import { AuditLog, GENESIS_HASH, hashAuditEntry } from "../src/security/index.ts";
import { writeAuditHead } from "../src/security/audit-head.ts";
import { openDatabase, writeTransaction } from "../src/store/database.ts";
import { SqliteAuditStore } from "../src/store/sqlite-audit.ts";

/** The goal: verifying a million entries takes under 5 s. */
const GOAL_SECONDS = 5;

/** Appends `entries` realistic entries (run and schedule actions, scraper details) to `store`. */
function build(db: ReturnType<typeof openDatabase>, store: SqliteAuditStore, entries: number) {
  const actions = ["run.started", "run.stopped", "run.cancelled", "schedule.changed"] as const;
  let tail = { seq: 0, hash: GENESIS_HASH };
  const start = Date.now();
  writeTransaction(db, () => {
    for (let seq = 1; seq <= entries; seq++) {
      // Runs synchronously inside the enclosing transaction (a savepoint each).
      void store.append(() => {
        const fields = {
          seq,
          at: start + seq,
          actor: seq % 5 === 0 ? "scheduler" : "api",
          actorName: null,
          action: actions[seq % actions.length]!,
          subject: `RUN-20261206-${(seq & 0xffffff).toString(16).toUpperCase().padStart(6, "0")}`,
          details: `{"scraper":"bookshop-${seq % 13}"}`,
          prevHash: tail.hash,
        };
        tail = { seq, hash: hashAuditEntry(fields) };
        return { ...fields, hash: tail.hash };
      });
    }
  });
  return tail;
}

/** Runs the scenario over `entries` entries; returns its markdown report. */
export async function auditBench(entries = 1_000_000): Promise<string> {
  const dir = await mkdtemp(join(process.env.TMPDIR ?? "/tmp", "trawl-audit-bench-"));
  try {
    const paths = homePaths(dir);
    const db = openDatabase(paths.database);
    const store = new SqliteAuditStore(db);
    process.stderr.write(`audit: building a log of ${entries} entries…\n`);
    const buildStart = performance.now();
    writeAuditHead(paths.auditHead, build(db, store, entries));
    const buildSeconds = (performance.now() - buildStart) / 1000;
    const log = new AuditLog(store, paths.auditHead, systemClock);
    const seconds: number[] = [];
    for (let round = 1; round <= 3; round++) {
      const start = performance.now();
      const result = await log.verify();
      seconds.push((performance.now() - start) / 1000);
      if (!result.intact || result.entries !== entries)
        throw new Error(`verify found the log broken: ${JSON.stringify(result.problem)}`);
      process.stderr.write(`  verify ${round}/3: ${seconds.at(-1)!.toFixed(2)} s\n`);
    }
    db.close();
    const median = [...seconds].sort((a, b) => a - b)[1]!;
    const perEntry = (median / entries) * 1e6;
    return [
      `## audit log: verify ${entries.toLocaleString("en")} entries (issue 15 §5)`,
      "",
      "| entries | build s | verify s (median of 3) | µs per entry | goal |",
      "|--:|--:|--:|--:|---|",
      `| ${entries} | ${buildSeconds.toFixed(1)} | ${median.toFixed(2)} | ${perEntry.toFixed(2)} | under ${GOAL_SECONDS} s for 1,000,000: ${median * (1_000_000 / entries) < GOAL_SECONDS ? "met" : "**not met**"} |`,
      "",
      `- verify runs: ${seconds.map((s) => s.toFixed(2)).join(", ")} s`,
      "",
    ].join("\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
