/**
 * What the audit log records: who acted ({@link AuditActor}) and what they did ({@link AuditAction}).
 * The lists live in the wire contract (`src/core/contract/audit-actions.ts`), shared with the web app.
 */
import { AUDIT_ACTIONS, type AuditAction } from "../core/contract/audit-actions.ts";
import { securityError } from "./errors.ts";

export {
  AUDIT_ACTIONS,
  AUDIT_ACTORS,
  type AuditAction,
  type AuditActor,
} from "../core/contract/audit-actions.ts";

/** Whether `name` is an action the audit log knows. */
export function isAuditAction(name: string): name is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(name);
}

/** `name` as an action to filter on; a usage error listing the actions when it is none. */
export function checkAuditAction(name: string): AuditAction {
  if (isAuditAction(name)) return name;
  throw securityError("TRAWL_ERR_SECURITY_AUDIT_FILTER", {
    problem: `no action is named "${name}" (actions: ${AUDIT_ACTIONS.join(", ")})`,
  });
}
