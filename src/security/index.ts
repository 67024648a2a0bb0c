/**
 * The security layer: the app's lock (access token, PIN, sessions, attempt limiting), the audit
 * trail (append-only, hash-chained) and the secrets vault (encrypted at rest). Above store and
 * core only: the app wires it into runs, the server into routes, the CLI into commands.
 */
export { SECURITY_ERRORS, securityError } from "./errors.ts";
export { SecretVault, MAX_SECRET_BYTES } from "./secret-vault.ts";
export type { RunSecretValues, SecretUse, SecretVaultOptions } from "./secret-vault.ts";
export { checkSecretName, isSecretName } from "./secret-names.ts";
export { MASTER_KEY_FILE } from "./master-key.ts";
export {
  AUDIT_ACTIONS,
  AUDIT_ACTORS,
  checkAuditAction,
  isAuditAction,
  type AuditAction,
  type AuditActor,
} from "./audit-actions.ts";
export {
  canonicalJson,
  encodeAuditEntry,
  GENESIS_HASH,
  hashAuditEntry,
  type AuditBreak,
} from "./audit-chain.ts";
export { readAuditHead, type AuditHead } from "./audit-head.ts";
export { AuditLog, auditEntryView, type AuditEvent, type AuditVerification } from "./audit-log.ts";
export { loadAccessToken, sameSecret, sessionProof } from "./access-token.ts";
export {
  AppLock,
  DEFAULT_IDLE_MINUTES,
  type LockStatus,
  type SessionCheck,
  type UnlockedSession,
} from "./app-lock.ts";
export { ApiTokens, type ApiTokenInfo } from "./api-tokens.ts";
export { checkPin, MIN_PASSPHRASE_CHARS, MIN_PIN_DIGITS, PIN_HASH_PARAMS } from "./pin.ts";
export { MAX_FAILURES, unlockDelayMs } from "./unlock-policy.ts";
export { callerName, nameCaller, withCallerContext } from "./audit-context.ts";
