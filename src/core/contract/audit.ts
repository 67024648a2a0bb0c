/**
 * The audit log as the API serves it (GET /api/audit, POST /api/audit/verify) and the web app
 * reads it. Imports nothing but TypeBox and sibling contracts.
 */
import { Type, type Static } from "typebox";
import { AUDIT_BREAK_KINDS } from "./audit-actions.ts";
import { Instant, Nullable } from "./shared.ts";

/** One entry of the audit log. */
export const AuditEntrySchema = Type.Object({
  /** The entry's place in the chain: 1, 2, 3… */
  seq: Type.Integer(),
  at: Instant,
  /** `cli`, `api`, `scheduler` or `system` (stored as text: an older entry may name another). */
  actor: Type.String(),
  /** The session or token the actor used, when known. */
  actorName: Nullable(Type.String()),
  action: Type.String(),
  /** What it was done to: a run id, a schedule id. */
  subject: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  /** SHA-256 (hex) of the entry before it; 64 zeros for the first. */
  prevHash: Type.String(),
  /** SHA-256 (hex) of this entry's canonical encoding (docs/security.md). */
  hash: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

/** A page of the log, oldest first; pass `next` as `before` for the page of older entries. */
export const AuditPageSchema = Type.Object({
  entries: Type.Array(AuditEntrySchema),
  /** Entries matching the filters, on every page. */
  total: Type.Integer(),
  /** The `before` of the next (older) page; null on the oldest. */
  next: Nullable(Type.Integer()),
});
export type AuditPage = Static<typeof AuditPageSchema>;

/** A chain position: an entry's sequence number and hash (seq 0: the empty chain). */
export const AuditHeadSchema = Type.Object({ seq: Type.Integer(), hash: Type.String() });

/** The outcome of checking the chain and the head file. */
export const AuditVerificationSchema = Type.Object({
  intact: Type.Boolean(),
  /** Entries checked and found sound (all of them when intact). */
  entries: Type.Integer(),
  /** The last sound entry of the chain. */
  head: AuditHeadSchema,
  /** The head file as found; null when missing or unreadable. */
  headFile: Nullable(AuditHeadSchema),
  /** Entries the head file lagged behind an intact chain (caught up by the check). */
  headLag: Type.Integer(),
  /** The first break (its kinds: `AUDIT_BREAK_KINDS`). */
  problem: Nullable(
    Type.Object({
      kind: Type.Enum(AUDIT_BREAK_KINDS),
      seq: Type.Integer(),
      message: Type.String(),
    }),
  ),
});
export type AuditVerification = Static<typeof AuditVerificationSchema>;
