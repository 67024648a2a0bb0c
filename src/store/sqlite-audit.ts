import type { Statement } from "better-sqlite3";
import { camelRow } from "./camel-row.ts";
import { auditValues } from "./audit-rows.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { AuditEntryRecord, AuditFilter, AuditStore, AuditTail } from "./audit-types.ts";

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string | null;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The columns in `AuditRow` order, for `raw()` reads that skip building a row object. */
const COLUMNS = "seq, at, actor, actor_name, action, subject, details, prev_hash, hash";

type RawRow = [number, number, string, string | null, string, string | null, string, string, string];

function fromRaw(row: RawRow): AuditEntryRecord {
  const [seq, at, actor, actorName, action, subject, details, prevHash, hash] = row;
  return { seq, at, actor, actorName, action, subject, details, prevHash, hash };
}

/** The WHERE clause and parameters of a filter (`withBefore`: also its `beforeSeq`). */
function where(filter: AuditFilter, withBefore: boolean): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.since !== undefined) {
    clauses.push("at >= ?");
    params.push(filter.since);
  }
  if (filter.action !== undefined) {
    clauses.push("action = ?");
    params.push(filter.action);
  }
  if (withBefore && filter.beforeSeq !== undefined) {
    clauses.push("seq < ?");
    params.push(filter.beforeSeq);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/** The audit log in SQLite (table `audit_log`, migration 14; triggers refuse UPDATE and DELETE). */
export class SqliteAuditStore implements AuditStore {
  private statements?: { insert: Statement; last: Statement };

  constructor(private readonly db: SqliteDatabase) {}

  /** The two statements of every append, prepared on first use (the table may not exist before). */
  private prepared(): { insert: Statement; last: Statement } {
    return (this.statements ??= {
      // Purpose: add an entry at the end of the chain. Parameters: the entry's columns.
      insert: this.db.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Purpose: the chain's last entry (highest seq), or none.
      last: this.db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
    });
  }

  async append(build: (tail: AuditTail) => AuditEntryRecord): Promise<AuditEntryRecord> {
    // BEGIN IMMEDIATE takes the write lock before the tail is read: no other process can append
    // between the read and the insert.
    return writeTransaction(this.db, () => {
      const entry = build(this.readTail());
      this.prepared().insert.run(...auditValues(entry));
      return entry;
    });
  }

  async atTail<T>(work: (tail: AuditTail, hashOf: (seq: number) => string | null) => T): Promise<T> {
    // Purpose: an entry's hash by seq, under the same lock as the tail.
    const hash = this.db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck();
    return writeTransaction(this.db, () =>
      work(this.readTail(), (seq) => (hash.get(seq) as string | undefined) ?? null),
    );
  }

  private readTail(): AuditTail {
    return (this.prepared().last.get() as { seq: number; hash: string } | undefined) ?? null;
  }

  async get(seq: number): Promise<AuditEntryRecord | null> {
    // Purpose: one entry by its sequence number.
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq = ?`).get(seq) as
      AuditRow | undefined;
    return row ? camelRow(row) : null;
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntryRecord[]> {
    // Purpose: the newest `limit` matching entries, returned oldest first.
    const { sql, params } = where(filter, true);
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT ${COLUMNS} FROM audit_log ${sql} ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
      )
      .all(...params, filter.limit ?? 100) as AuditRow[];
    return rows.map((row): AuditEntryRecord => camelRow(row));
  }

  async count(filter: AuditFilter = {}): Promise<number> {
    // Purpose: how many entries match the filter's time and action.
    const { sql, params } = where(filter, false);
    return this.db
      .prepare(`SELECT count(*) FROM audit_log ${sql}`)
      .pluck()
      .get(...params) as number;
  }

  async *scan(batchSize = 10_000): AsyncIterable<AuditEntryRecord[]> {
    // Purpose: every entry by seq, a batch at a time (keyset paging: each batch starts after the
    // last seq of the one before). Parameters: that seq, the batch size.
    const page = this.db
      .prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`)
      .raw(true);
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(after, batchSize) as RawRow[];
      if (rows.length === 0) return;
      yield rows.map(fromRaw);
      after = rows[rows.length - 1]![0];
      if (rows.length < batchSize) return;
    }
  }
}
