/**
 * The security layer's errors (the lock, the audit trail, the secrets vault). Codes are
 * `TRAWL_ERR_SECURITY_<WHAT>`.
 */
import { defineErrors, errorFactory } from "../core/index.ts";

/** Every code the security layer raises, with its message shape, kind and HTTP status. */
export const SECURITY_ERRORS = defineErrors({});

/** Makes an error of {@link SECURITY_ERRORS}. */
export const securityError = errorFactory(SECURITY_ERRORS);
