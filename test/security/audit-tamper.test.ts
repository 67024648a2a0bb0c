/**
 * Issue 15's "done when" for the audit log: 1,000 random single mutations of a 10,000-entry log
 * (an entry edited, an entry deleted, two entries swapped, the tail cut off), each made the way an
 * attacker with the database would (raw SQL, the append-only triggers dropped) inside a
 * transaction that is rolled back afterwards, and each found by verify at the entry it broke.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.ts";
import { AuditLog, GENESIS_HASH, hashAuditEntry, readAuditHead } from "../../src/security/index.ts";
import { openDatabase, writeTransaction, type SqliteDatabase } from "../../src/store/database.ts";
import { SqliteAuditStore } from "../../src/store/sqlite-audit.ts";
import { writeAuditHead } from "../../src/security/audit-head.ts";

const ENTRIES = 10_000;
const MUTATIONS = 1_000;
const SEED = 20261206;

/** A small seeded PRNG (mulberry32): the same mutations on every run. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

let dir: string;
let db: SqliteDatabase;
let log: AuditLog;
let headFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-audit-tamper-"));
  headFile = join(dir, "audit-head.json");
  db = openDatabase(join(dir, "trawl.db"));
  const store = new SqliteAuditStore(db);
  const actions = ["run.started", "run.stopped", "schedule.created", "schedule.changed"] as const;
  // The store's own append, 10,000 times, in one enclosing transaction (each append is a savepoint).
  let tail = { seq: 0, hash: GENESIS_HASH };
  writeTransaction(db, () => {
    for (let seq = 1; seq <= ENTRIES; seq++) {
      void store.append((last) => {
        expect(last?.seq ?? 0).toBe(tail.seq);
        const fields = {
          seq,
          at: 1_765_000_000_000 + seq * 1000,
          actor: seq % 3 === 0 ? "scheduler" : "cli",
          actorName: null,
          action: actions[seq % actions.length]!,
          subject: `RUN-${seq.toString(16).toUpperCase().padStart(6, "0")}`,
          details: `{"scraper":"books-${seq % 7}"}`,
          prevHash: tail.hash,
        };
        tail = { seq, hash: hashAuditEntry(fields) };
        return { ...fields, hash: tail.hash };
      });
    }
  });
  writeAuditHead(headFile, tail);
  log = new AuditLog(store, headFile, new ManualClock(0));
  expect(await log.verify()).toMatchObject({ intact: true, entries: ENTRIES, headLag: 0 });
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Mutation = { kind: "edited" | "deleted" | "reordered" | "truncated"; seq: number; sql: string[] };

const COLUMNS = ["at", "actor", "actor_name", "action", "subject", "details", "prev_hash", "hash"];

/** The mutation number `i`: a quarter of each kind, at random places. */
function mutation(i: number, pick: (n: number) => number): Mutation {
  const seq = 1 + pick(ENTRIES);
  switch (i % 4) {
    case 0: {
      const column = COLUMNS[pick(COLUMNS.length)]!;
      const value =
        column === "at"
          ? `at + ${1 + pick(1000)}`
          : column.endsWith("hash")
            ? `'${"f".repeat(64)}'`
            : `'x${i}'`;
      // Changing prev_hash breaks the entry's link: verify calls that out of place, not edited.
      return {
        kind: column === "prev_hash" ? "reordered" : "edited",
        seq,
        sql: [`UPDATE audit_log SET ${column} = ${value} WHERE seq = ${seq}`],
      };
    }
    case 1:
      // Deleting the last entry is cutting the tail: the head file tells.
      return seq === ENTRIES
        ? { kind: "truncated", seq, sql: [`DELETE FROM audit_log WHERE seq = ${seq}`] }
        : { kind: "deleted", seq, sql: [`DELETE FROM audit_log WHERE seq = ${seq}`] };
    case 2: {
      const other = seq === ENTRIES ? seq - 1 - pick(ENTRIES - 1) : seq + 1 + pick(ENTRIES - seq);
      const [a, b] = [Math.min(seq, other), Math.max(seq, other)];
      return {
        kind: "reordered",
        seq: a,
        sql: [
          `UPDATE audit_log SET seq = -1 WHERE seq = ${a}`,
          `UPDATE audit_log SET seq = ${a} WHERE seq = ${b}`,
          `UPDATE audit_log SET seq = ${b} WHERE seq = -1`,
        ],
      };
    }
    default: {
      const keep = pick(ENTRIES); // 0…9,999 entries left
      return { kind: "truncated", seq: keep + 1, sql: [`DELETE FROM audit_log WHERE seq > ${keep}`] };
    }
  }
}

describe("audit log tampering", () => {
  it(`detects each of ${MUTATIONS} random edits, deletions, reorderings and truncations of ${ENTRIES} entries`, async () => {
    const pick = random(SEED);
    const missed: string[] = [];
    for (let i = 0; i < MUTATIONS; i++) {
      const m = mutation(i, pick);
      db.exec("BEGIN");
      try {
        db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
        for (const statement of m.sql) db.exec(statement);
        const result = await log.verify();
        if (result.intact || result.problem?.kind !== m.kind || result.problem.seq !== m.seq)
          missed.push(
            `${m.sql.join("; ")} → ${JSON.stringify(result.problem)} (expected ${m.kind} at ${m.seq})`,
          );
      } finally {
        db.exec("ROLLBACK");
      }
    }
    expect(missed).toEqual([]);
    // Rolled back every time: the log and its head file are as they were.
    expect(await log.verify()).toMatchObject({ intact: true, entries: ENTRIES, headLag: 0 });
    expect(readAuditHead(headFile)).toMatchObject({ state: "present", head: { seq: ENTRIES } });
  });

  it("refuses UPDATE and DELETE through trawl's own connection (the append-only triggers)", () => {
    expect(() => db.exec("UPDATE audit_log SET actor = 'api' WHERE seq = 1")).toThrow(/append-only/);
    expect(() => db.exec("DELETE FROM audit_log WHERE seq = 1")).toThrow(/append-only/);
  });
});
