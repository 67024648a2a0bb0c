/**
 * The audit log over the store and the head file: append, list, verify. See docs/security.md for
 * what is logged and what the chain does and does not protect against.
 */
import { callerName } from "./audit-context.ts";
import type { AuditEntry } from "../core/contract/audit.ts";
import type { Clock } from "../core/index.ts";
import type { AuditEntryRecord, AuditFilter, AuditStore } from "../store/index.ts";
import type { AuditAction, AuditActor } from "./audit-actions.ts";
import {
  canonicalJson,
  ChainWalker,
  GENESIS_HASH,
  hashAuditEntry,
  MAX_DETAILS_LENGTH,
  type AuditBreak,
} from "./audit-chain.ts";
import { readAuditHead, writeAuditHead, type AuditHead } from "./audit-head.ts";
import { securityError } from "./errors.ts";

/** What happened, as a caller reports it. */
export interface AuditEvent {
  actor: AuditActor;
  /** The session or token the actor used, when known. */
  actorName?: string | null;
  action: AuditAction;
  /** What it was done to (a run id, a schedule id). */
  subject?: string | null;
  /** Small facts (a scraper's name, the fields changed); never a secret's value. */
  details?: Record<string, unknown>;
}

/** The outcome of {@link AuditLog.verify}. */
export interface AuditVerification {
  intact: boolean;
  /** Entries checked and found sound (all of them when intact). */
  entries: number;
  /** The chain's last sound entry (seq 0: an empty log). */
  head: AuditHead;
  /** The head file as found before the check; null when missing or unreadable. */
  headFile: AuditHead | null;
  /**
   * How many entries the head file lagged behind the chain (a crash between an append's commit and
   * its head update, or another process's append in between); the check caught it up.
   */
  headLag: number;
  /** The first break; null when intact. */
  problem: AuditBreak | null;
}

/** Breaks of the head file alone, which `resetHead` may repair; the others are the chain's. */
const HEAD_BREAKS: ReadonlySet<string> = new Set([
  "truncated",
  "head-mismatch",
  "head-missing",
  "head-unreadable",
]);

/** Rows read per batch when verifying: small enough that a break near the start is found early. */
const VERIFY_BATCH = 1000;

/**
 * The audit log of one data directory. Appends are chained in one write transaction (see
 * `AuditStore.append`); the head file follows each commit and may lag behind the database, never
 * run ahead of it.
 */
export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    /** The head file (`homePaths(home).auditHead`). */
    private readonly headFile: string,
    private readonly clock: Clock,
  ) {}

  /** Appends an entry at the end of the chain, then moves the head file to it. */
  async append(event: AuditEvent): Promise<AuditEntryRecord> {
    const details = canonicalJson(event.details ?? {});
    if (details.length > MAX_DETAILS_LENGTH)
      throw securityError("TRAWL_ERR_SECURITY_AUDIT_DETAILS", {
        problem: `are ${details.length} characters long, over ${MAX_DETAILS_LENGTH}`,
      });
    const entry = await this.store.append((tail) => {
      // Before the first entry, the head file records the empty chain: from then on a missing
      // head file means it was removed, and verify says so.
      if (!tail && readAuditHead(this.headFile).state === "missing")
        writeAuditHead(this.headFile, { seq: 0, hash: GENESIS_HASH });
      const fields = {
        seq: (tail?.seq ?? 0) + 1,
        at: this.clock.now(),
        actor: event.actor,
        actorName: event.actorName ?? callerName() ?? null,
        action: event.action,
        subject: event.subject ?? null,
        details,
        prevHash: tail?.hash ?? GENESIS_HASH,
      };
      return { ...fields, hash: hashAuditEntry(fields) };
    });
    await this.advanceHead();
    return entry;
  }

  /**
   * Moves the head file to the chain's last entry, after an append's commit or a verify. It is done
   * holding the database's write lock, so head writes are in commit order and the file never moves
   * backwards, nor past a committed entry. The file is left alone when it is missing once the log
   * has entries, unreadable, or disagrees with the chain (it records an entry the database does not
   * have, or with another hash): that is evidence verify must keep reporting.
   */
  private advanceHead(): Promise<void> {
    return this.store.atTail((tail, hashOf) => {
      const file = readAuditHead(this.headFile);
      if (!tail || file.state !== "present" || file.head.seq >= tail.seq) return;
      const head = file.head;
      const agrees = head.seq === 0 ? head.hash === GENESIS_HASH : hashOf(head.seq) === head.hash;
      if (agrees) writeAuditHead(this.headFile, tail);
    });
  }

  /** Entries matching `filter`, oldest first (the newest `limit` of them). */
  list(filter: AuditFilter = {}): Promise<AuditEntryRecord[]> {
    return this.store.list(filter);
  }

  /** How many entries match `filter`'s time and action. */
  count(filter: AuditFilter = {}): Promise<number> {
    return this.store.count(filter);
  }

  /**
   * Checks the whole chain, then the head file against it, and names the first break. A head file
   * behind an intact chain (it may lag: see {@link AuditVerification.headLag}) is caught up; one
   * ahead of the chain (the tail was cut off) or disagreeing with it is a break, as is a missing or
   * unreadable head file once the log has entries.
   */
  async verify(): Promise<AuditVerification> {
    const file = readAuditHead(this.headFile);
    const headFile = file.state === "present" ? file.head : null;
    const walker = new ChainWalker(headFile?.seq ?? -1);
    for await (const batch of this.store.scan(VERIFY_BATCH)) if (!walker.push(batch)) break;
    const result = { entries: walker.entries, head: walker.last, headFile, headLag: 0 };
    const problem = walker.problem ?? this.checkHead(file, walker);
    if (problem) return { ...result, intact: false, problem };
    if (headFile && headFile.seq < walker.last.seq) {
      await this.advanceHead();
      result.headLag = walker.last.seq - headFile.seq;
    }
    return { ...result, intact: true, problem: null };
  }

  /**
   * Makes a head file that disagrees with an intact chain (missing, unreadable, ahead of it after a
   * database backup was restored, another hash) record the chain's last entry, and logs that
   * (`audit.head-reset`, with what verify found and the old head). Refused when the chain itself is
   * broken (`TRAWL_ERR_SECURITY_AUDIT_BROKEN`): no entry is ever hashed again. Nothing is done when
   * the log verifies. Returns what was wrong (null: nothing) and the verification after.
   */
  async resetHead(actor: AuditActor): Promise<{ reset: AuditBreak | null; now: AuditVerification }> {
    const found = await this.verify();
    if (found.intact) return { reset: null, now: found };
    const problem = found.problem!;
    if (!HEAD_BREAKS.has(problem.kind))
      throw securityError("TRAWL_ERR_SECURITY_AUDIT_BROKEN", { problem: problem.message });
    await this.store.atTail((tail) => writeAuditHead(this.headFile, tail ?? { seq: 0, hash: GENESIS_HASH }));
    await this.append({
      actor,
      action: "audit.head-reset",
      details: { problem: problem.kind, headFile: found.headFile, chainHead: found.head },
    });
    return { reset: problem, now: await this.verify() };
  }

  /** What is wrong with the head file against a sound chain, if anything. */
  private checkHead(file: ReturnType<typeof readAuditHead>, walker: ChainWalker): AuditBreak | null {
    const last = walker.last;
    if (file.state === "missing") {
      return last.seq === 0
        ? null
        : {
            kind: "head-missing",
            seq: last.seq,
            message: `the head file ${this.headFile} is missing: whether entries were cut off the end cannot be told`,
          };
    }
    if (file.state === "unreadable")
      return {
        kind: "head-unreadable",
        seq: last.seq,
        message: `the head file ${this.headFile} is unreadable (${file.problem})`,
      };
    const head = file.head;
    if (head.seq > last.seq) {
      const cut =
        head.seq === last.seq + 1 ? `entry ${head.seq} was` : `entries ${last.seq + 1}–${head.seq} were`;
      return {
        kind: "truncated",
        seq: last.seq + 1,
        message: `the log ends at entry ${last.seq} but the head file records entry ${head.seq}: ${cut} cut off`,
      };
    }
    if (walker.watchedHash !== head.hash)
      return {
        kind: "head-mismatch",
        seq: head.seq,
        message: `entry ${head.seq} differs from the head file's record of it: the log was rewritten from there or before`,
      };
    return null;
  }
}

/** An entry as the API and `--json` show it: its instant in ISO 8601, its details as JSON. */
export function auditEntryView(entry: AuditEntryRecord): AuditEntry {
  return {
    ...entry,
    at: new Date(entry.at).toISOString(),
    details: JSON.parse(entry.details) as Record<string, unknown>,
  };
}
