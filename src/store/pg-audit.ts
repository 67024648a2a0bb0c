/**
 * The audit log in PostgreSQL: the same `AuditStore` as sqlite-audit.ts (triggers refuse UPDATE,
 * DELETE and TRUNCATE, see pg-schema.ts). SQLite's write lock becomes a transaction-scoped
 * advisory lock taken by every append and `atTail`: no process on any machine appends between
 * another's read of the tail and its insert, nor while `atTail`'s work runs.
 */
import type pg from "pg";
import { camelRow } from "./camel-row.ts";
import { AUDIT_COLUMNS, auditValues } from "./audit-rows.ts";
import { pgTransaction } from "./pg-database.ts";
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

/** The advisory lock of appends ("audit" in ASCII; migrations use "trawl"). */
const AUDIT_LOCK = 0x6175646974;

/** What `hashOf` throws for a hash not read yet: `atTail` reads it and runs the work again. */
class HashNeeded {
  constructor(readonly seq: number) {}
}

/** The WHERE clause and parameters of a filter (`withBefore`: also its `beforeSeq`). */
function where(filter: AuditFilter, withBefore: boolean): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    clauses.push(`${clause} $${params.length}`);
  };
  if (filter.since !== undefined) add("at >=", filter.since);
  if (filter.action !== undefined) add("action =", filter.action);
  if (withBefore && filter.beforeSeq !== undefined) add("seq <", filter.beforeSeq);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

async function readTail(client: pg.PoolClient): Promise<AuditTail> {
  // Purpose: the chain's last entry (highest seq), or none, under the append lock.
  await client.query(`SELECT pg_advisory_xact_lock($1)`, [AUDIT_LOCK]);
  const { rows } = await client.query<{ seq: number; hash: string }>(
    `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** The audit log in PostgreSQL (table `audit_log`). */
export class PgAuditStore implements AuditStore {
  constructor(private readonly pool: pg.Pool) {}

  async append(build: (tail: AuditTail) => AuditEntryRecord): Promise<AuditEntryRecord> {
    // Purpose: add an entry at the end of the chain. Parameters: the entry's columns.
    return pgTransaction(this.pool, async (client) => {
      const entry = build(await readTail(client));
      await client.query(
        `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        auditValues(entry),
      );
      return entry;
    });
  }

  /**
   * `work` runs synchronously, but a query cannot: a lookup of a hash not read yet throws, the
   * hash is read under the same lock, and `work` runs again (so it must look up before it acts,
   * as audit-log.ts does).
   */
  async atTail<T>(work: (tail: AuditTail, hashOf: (seq: number) => string | null) => T): Promise<T> {
    return pgTransaction(this.pool, async (client) => {
      const tail = await readTail(client);
      const hashes = new Map<number, string | null>();
      for (;;) {
        try {
          return work(tail, (seq) => {
            if (!hashes.has(seq)) throw new HashNeeded(seq);
            return hashes.get(seq)!;
          });
        } catch (error) {
          if (!(error instanceof HashNeeded)) throw error;
          // Purpose: an entry's hash by seq, under the same lock as the tail.
          const { rows } = await client.query<{ hash: string }>(`SELECT hash FROM audit_log WHERE seq = $1`, [
            error.seq,
          ]);
          hashes.set(error.seq, rows[0]?.hash ?? null);
        }
      }
    });
  }

  async get(seq: number): Promise<AuditEntryRecord | null> {
    // Purpose: one entry by its sequence number.
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq = $1`,
      [seq],
    );
    return rows[0] ? camelRow(rows[0]) : null;
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntryRecord[]> {
    // Purpose: the newest `limit` matching entries, returned oldest first.
    const { sql, params } = where(filter, true);
    params.push(filter.limit ?? 100);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT * FROM (SELECT ${AUDIT_COLUMNS} FROM audit_log ${sql} ORDER BY seq DESC LIMIT $${params.length}) AS newest
       ORDER BY seq`,
      params,
    );
    return rows.map((row): AuditEntryRecord => camelRow(row));
  }

  async count(filter: AuditFilter = {}): Promise<number> {
    // Purpose: how many entries match the filter's time and action.
    const { sql, params } = where(filter, false);
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*) AS n FROM audit_log ${sql}`,
      params,
    );
    return rows[0]!.n;
  }

  async *scan(batchSize = 10_000): AsyncIterable<AuditEntryRecord[]> {
    // Purpose: every entry by seq, a batch at a time (keyset paging: each batch starts after the
    // last seq of the one before). Parameters: that seq, the batch size.
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const { rows } = await this.pool.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((row): AuditEntryRecord => camelRow(row));
      after = rows[rows.length - 1]!.seq;
      if (rows.length < batchSize) return;
    }
  }
}
