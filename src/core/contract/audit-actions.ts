/**
 * The audit log's plain lists: the actions an entry may name and the actors that act. The schemas
 * of `audit.ts` are built from them; the web app imports them from here as values (a value import
 * of a schema file would bundle TypeBox). Names of things that do not exist yet (the lock, tokens,
 * secrets, settings, diagnostics) are listed already, so that the work adding them plugs in.
 */

/** Every action an audit entry may name (past tense, `<subject>.<verb>`). */
export const AUDIT_ACTIONS = [
  // Runs: started (created, by hand or by a schedule), paused, resumed, stopped, cancelled, deleted.
  "run.started",
  "run.paused",
  "run.resumed",
  "run.stopped",
  "run.cancelled",
  "run.deleted",
  // Schedules: created, changed (timing, policies, paused, resumed), deleted.
  "schedule.created",
  "schedule.changed",
  "schedule.deleted",
  "dataset.version.deleted",
  "settings.changed",
  "diagnostics.exported",
  // The head file made to agree with the database again (`trawl audit reset-head`).
  "audit.head-reset",
  // The lock (issue 15, items 1–4).
  "pin.set",
  "pin.changed",
  "pin.removed",
  "unlock.succeeded",
  "unlock.failed",
  "unlock.locked-out",
  // Unlocking re-enabled after too many wrong PINs (`trawl security unlock-reset`).
  "unlock.reset",
  "lock.manual",
  "lock.idle",
  "lock.start",
  "token.created",
  "token.used",
  "token.revoked",
  // The secrets vault (item 6): names only, never values.
  "secret.created",
  "secret.changed",
  "secret.deleted",
  "secret.used",
] as const;

/** What an audit entry says was done. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acts: the CLI, the API (the web app or a script), the scheduler, or trawl itself. */
export const AUDIT_ACTORS = ["cli", "api", "scheduler", "system"] as const;

/** Who an audit entry says acted. */
export type AuditActor = (typeof AUDIT_ACTORS)[number];

/**
 * How verification finds a log broken, in the order it looks: an entry `edited` (its content no
 * longer matches its hash), `deleted` (a gap in the sequence), `reordered` (an entry that does not
 * link to the one before), `truncated` (the head file records entries past the end),
 * `head-mismatch` (the head file's entry has another hash), `head-missing`, `head-unreadable`.
 */
export const AUDIT_BREAK_KINDS = [
  "edited",
  "deleted",
  "reordered",
  "truncated",
  "head-mismatch",
  "head-missing",
  "head-unreadable",
] as const;

/** How a log is broken (see {@link AUDIT_BREAK_KINDS}). */
export type AuditBreakKind = (typeof AUDIT_BREAK_KINDS)[number];
