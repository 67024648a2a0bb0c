/** The `audit_log` table's columns and the values an entry is written with, for both backends. */
import type { AuditEntryRecord } from "./audit-types.ts";

/** The columns of an entry, in the order {@link auditValues} gives them. */
export const AUDIT_COLUMNS = "seq, at, actor, actor_name, action, subject, details, prev_hash, hash";

/** An entry's values, in {@link AUDIT_COLUMNS}' order. */
export function auditValues(entry: AuditEntryRecord): unknown[] {
  return [
    entry.seq,
    entry.at,
    entry.actor,
    entry.actorName,
    entry.action,
    entry.subject,
    entry.details,
    entry.prevHash,
    entry.hash,
  ];
}
