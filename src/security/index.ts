/**
 * The security layer: the app's lock (access token, PIN, sessions, attempt limiting), the audit
 * trail (append-only, hash-chained) and the secrets vault (encrypted at rest). Above store and
 * core only: the app wires it into runs, the server into routes, the CLI into commands.
 */
export { SECURITY_ERRORS, securityError } from "./errors.ts";
