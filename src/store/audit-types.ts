/**
 * Storage contract of the audit log: append-only, hash-chained entries. The store keeps and reads
 * entries; what an entry's hash covers and how the chain is checked is the security layer's
 * (`src/security/audit-chain.ts`), so the store never computes a hash itself.
 */

/** One stored entry of the audit log. */
export interface AuditEntryRecord {
  /** 1, 2, 3…: the entry's place in the chain, with no gaps. */
  seq: number;
  /** When it was appended (Unix ms). */
  at: number;
  /** Who did it: `cli`, `api`, `scheduler`, `system`. */
  actor: string;
  /** The session or token name the actor used, when known; null otherwise. */
  actorName: string | null;
  /** What was done (`run.started`, `schedule.deleted`…; see `AuditAction` in src/security). */
  action: string;
  /** What it was done to (a run id, a schedule id); null when nothing in particular. */
  subject: string | null;
  /** Small facts about it, as canonical JSON text (keys sorted); `{}` when none. Never secrets. */
  details: string;
  /** The SHA-256 (hex) of the entry before it; 64 zeros for the first. */
  prevHash: string;
  /** The SHA-256 (hex) of this entry's canonical encoding, which includes `prevHash`. */
  hash: string;
}

/** The entry before a new one: the chain's last, or null when the log is empty. */
export type AuditTail = Pick<AuditEntryRecord, "seq" | "hash"> | null;

/** Which entries to list. */
export interface AuditFilter {
  /** Only entries appended at or after this instant (Unix ms). */
  since?: number;
  /** Only entries of this action. */
  action?: string;
  /** Only entries before this sequence number (paging backwards from the newest). */
  beforeSeq?: number;
  /** At most this many: the newest ones that match. @defaultValue 100 */
  limit?: number;
}

export interface AuditStore {
  /**
   * Appends one entry in a single write transaction: `build` receives the chain's last entry, read
   * under the write lock, and returns the new entry (its `seq` must be the tail's + 1). No other
   * process appends in between, so two writers never fork the chain. `build` runs synchronously
   * inside the transaction; if it throws, nothing is written.
   */
  append(build: (tail: AuditTail) => AuditEntryRecord): Promise<AuditEntryRecord>;
  /**
   * Runs `work` holding the write lock (no append can commit meanwhile), with the chain's last
   * entry and a lookup of any entry's hash (null when there is none): what the security layer moves
   * the head file under, so that two processes never move it backwards. `work` runs synchronously;
   * on PostgreSQL it runs again after each hash it asks for that was not read yet, so it must look
   * hashes up before it acts.
   */
  atTail<T>(work: (tail: AuditTail, hashOf: (seq: number) => string | null) => T): Promise<T>;
  /** The entry at `seq`, or null. */
  get(seq: number): Promise<AuditEntryRecord | null>;
  /** Entries matching `filter`, oldest first (the newest `limit` of them). */
  list(filter?: AuditFilter): Promise<AuditEntryRecord[]>;
  /** How many entries match `filter` (its `beforeSeq` and `limit` are ignored). */
  count(filter?: AuditFilter): Promise<number>;
  /**
   * Every entry in stored order (by `seq`), read in batches: what verification walks. Rows are
   * returned as stored, tampered or not.
   */
  scan(batchSize?: number): AsyncIterable<AuditEntryRecord[]>;
}
