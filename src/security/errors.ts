/**
 * The security layer's errors (the lock, the audit trail, the secrets vault). Codes are
 * `TRAWL_ERR_SECURITY_<WHAT>`.
 */
import { defineErrors, errorFactory } from "../core/index.ts";

/** Every code the security layer raises, with its message shape, kind and HTTP status. */
export const SECURITY_ERRORS = defineErrors({
  // The access token (access-token.ts).
  TRAWL_ERR_SECURITY_TOKEN_FILE: {
    kind: "failed",
    message: "{path} is not an access token (43 characters of base64url): delete it and a new one is made",
  },
  // The lock: PIN, unlock, sessions, API tokens (pin.ts, app-lock.ts, api-tokens.ts).
  TRAWL_ERR_SECURITY_PIN_WEAK: {
    kind: "usage",
    message: "the PIN {problem} (6 digits or more, or a passphrase of 10 characters or more)",
  },
  TRAWL_ERR_SECURITY_PIN_WRONG: { kind: "usage", status: 401, message: "wrong PIN" },
  TRAWL_ERR_SECURITY_NO_PIN: {
    kind: "conflict",
    message: "no PIN is set: there is nothing to {action} (trawl security pin set)",
  },
  TRAWL_ERR_SECURITY_PIN_EXISTS: {
    kind: "conflict",
    message: "a PIN is set already: change it with trawl security pin change",
  },
  TRAWL_ERR_SECURITY_UNLOCK_WAIT: {
    kind: "usage",
    status: 429,
    message: "{failures} wrong PINs in a row: the next attempt is admitted in {seconds} s",
  },
  TRAWL_ERR_SECURITY_UNLOCK_DISABLED: {
    kind: "usage",
    status: 403,
    message:
      "unlocking is disabled after {failures} wrong PINs in a row: run trawl security unlock-reset on this machine",
  },
  TRAWL_ERR_SECURITY_API_TOKEN_NAME: {
    kind: "usage",
    message: "not a token name: {name} (a letter, then letters, digits, _, . or -, at most 64)",
  },
  TRAWL_ERR_SECURITY_API_TOKEN_EXISTS: {
    kind: "conflict",
    message: "a token named {name} exists already: revoke it first (trawl security token revoke {name})",
  },
  TRAWL_ERR_SECURITY_API_TOKEN_NOT_FOUND: { kind: "not_found", message: "no token named {name}" },
  // The audit log (audit-*.ts).
  TRAWL_ERR_SECURITY_AUDIT_FILTER: { kind: "usage", message: "cannot list the audit log: {problem}" },
  TRAWL_ERR_SECURITY_AUDIT_BROKEN: {
    kind: "failed",
    message: "the audit log's chain is broken ({problem}); only a head file that disagrees can be reset",
  },
  TRAWL_ERR_SECURITY_AUDIT_DETAILS: {
    kind: "internal",
    message: "an audit entry's details {problem}",
  },
  // The secrets vault (secret-*.ts, master-key.ts).
  TRAWL_ERR_SECURITY_SECRET_NAME: {
    kind: "usage",
    message: "not a secret name: {name} (a letter, then letters, digits, _ or -, at most 64)",
  },
  TRAWL_ERR_SECURITY_SECRET_VALUE: { kind: "usage", message: "a secret's value {problem}" },
  TRAWL_ERR_SECURITY_SECRET_NOT_FOUND: { kind: "not_found", message: "no secret named {name}" },
  TRAWL_ERR_SECURITY_SECRET_AUTH: {
    kind: "failed",
    message: "secret {name} failed authentication: its stored value was altered or moved from another name",
  },
  TRAWL_ERR_SECURITY_MASTER_KEY: { kind: "usage", message: "the master key {problem}" },
  TRAWL_ERR_SECURITY_KEY_AUTH: {
    kind: "usage",
    message: "the master key from {source} does not open this vault's data key",
  },
});

/** Makes an error of {@link SECURITY_ERRORS}. */
export const securityError = errorFactory(SECURITY_ERRORS);
