/**
 * The audit log's hash chain: the canonical encoding of an entry, its hash, and the check of a
 * stored chain that names the first broken entry.
 *
 * Canonical encoding (version 1), defined here once: the UTF-8 bytes of the JSON array
 * `["trawl-audit/1", seq, at, actor, actorName, action, subject, details, prevHash]`, written by
 * `JSON.stringify` (numbers as integers, strings escaped as JSON does, `null` for absent values),
 * where `details` is itself canonical JSON text (see {@link canonicalJson}). An entry's `hash` is the
 * lowercase hex SHA-256 of those bytes; its `prevHash` is the hash of the entry before it, or
 * {@link GENESIS_HASH} for the first. Changing any field of any entry, removing or moving one,
 * changes a hash that a later entry (or the head file) holds.
 */
import { createHash, hash as oneShotHash } from "node:crypto";
import type { AuditBreakKind } from "../core/contract/audit-actions.ts";
import type { AuditEntryRecord } from "../store/index.ts";
import { securityError } from "./errors.ts";

/** The `prevHash` of the first entry: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64);

/** The tag that starts every encoded entry; a new encoding gets a new tag. */
const ENCODING_TAG = "trawl-audit/1";

/** Details longer than this (as canonical JSON) are refused: entries say what, not everything. */
export const MAX_DETAILS_LENGTH = 2048;

/** SHA-256 as hex. `crypto.hash` (Node ≥ 20.12) is a one-shot call, twice as fast as `createHash`. */
const sha256: (text: string) => string =
  typeof oneShotHash === "function"
    ? (text) => oneShotHash("sha256", text, "hex")
    : (text) => createHash("sha256").update(text).digest("hex");

/**
 * JSON text with object keys sorted (recursively) and no spaces: one text per value, whatever
 * order its keys were given in. Undefined properties are left out; values must be JSON values
 * (strings, finite numbers, booleans, null, arrays, plain objects).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw securityError("TRAWL_ERR_SECURITY_AUDIT_DETAILS", { problem: "has a number that is not finite" });
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  throw securityError("TRAWL_ERR_SECURITY_AUDIT_DETAILS", { problem: `holds a ${typeof value}` });
}

/** The fields an entry's hash covers: all but the hash itself. */
export type HashedFields = Omit<AuditEntryRecord, "hash">;

/** The canonical encoding of an entry (see this module's comment). */
export function encodeAuditEntry(entry: HashedFields): string {
  return JSON.stringify([
    ENCODING_TAG,
    entry.seq,
    entry.at,
    entry.actor,
    entry.actorName,
    entry.action,
    entry.subject,
    entry.details,
    entry.prevHash,
  ]);
}

/** The hash of an entry: SHA-256 (hex) of its canonical encoding. */
export function hashAuditEntry(entry: HashedFields): string {
  return sha256(encodeAuditEntry(entry));
}

/** The first thing wrong with a log: what, at which entry, in words. */
export interface AuditBreak {
  kind: AuditBreakKind;
  /** The entry named: the one altered, missing or out of place; for the head file, the entry it records. */
  seq: number;
  message: string;
}

/**
 * Walks a chain entry by entry (in stored order) and stops at the first break. Also notes the hash
 * of the entry at `watchSeq` (the head file's), so the head can be compared without a second read.
 */
export class ChainWalker {
  private nextSeq = 1;
  private prevHash = GENESIS_HASH;
  /** Entries checked and found sound. */
  entries = 0;
  /** The first break, once found; the walk stops there. */
  problem: AuditBreak | null = null;
  /** The hash of the entry at `watchSeq`, once walked (GENESIS_HASH for seq 0). */
  watchedHash: string | null;

  constructor(private readonly watchSeq = -1) {
    this.watchedHash = watchSeq === 0 ? GENESIS_HASH : null;
  }

  /** The last sound entry: its seq (0: none) and hash. */
  get last(): { seq: number; hash: string } {
    return { seq: this.nextSeq - 1, hash: this.prevHash };
  }

  /** Checks a batch; false once a break is found (the walk is over). */
  push(batch: readonly AuditEntryRecord[]): boolean {
    for (const entry of batch) {
      const problem = this.check(entry);
      if (problem) {
        this.problem = problem;
        return false;
      }
      if (entry.seq === this.watchSeq) this.watchedHash = entry.hash;
      this.prevHash = entry.hash;
      this.nextSeq++;
      this.entries++;
    }
    return true;
  }

  private check(entry: AuditEntryRecord): AuditBreak | null {
    const seq = this.nextSeq;
    if (entry.seq !== seq) {
      return entry.seq > seq
        ? {
            kind: "deleted",
            seq,
            message: `entry ${seq} is missing: the log goes from entry ${seq - 1} to ${entry.seq}`,
          }
        : {
            kind: "reordered",
            seq,
            message: `entry ${seq} is out of order: found entry ${entry.seq} in its place`,
          };
    }
    const sealed = hashAuditEntry(entry) === entry.hash;
    if (entry.prevHash === this.prevHash) {
      return sealed
        ? null
        : {
            kind: "edited",
            seq,
            message: `entry ${seq} was changed after it was written: its content does not match its hash`,
          };
    }
    // A row moved to another seq fails both checks (its seq is hashed); a sound row that does not
    // link to the one before means that one was replaced by a row with a recomputed hash.
    return {
      kind: "reordered",
      seq,
      message: sealed
        ? `entry ${seq} does not follow entry ${seq - 1}: entry ${seq - 1} was replaced, or entries were reordered`
        : `entry ${seq} is out of place or altered: neither its content nor its link to entry ${seq - 1} matches`,
    };
  }
}
