/**
 * Credentials in HTTP headers, and the one word that stands in their place wherever trawl shows or
 * exports what it recorded (WARC and HAR exports, the diagnostics bundle): DESIGN.md §3.6.
 */

/** Request and response headers whose values are credentials (lower case). */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);

/** What an export shows instead of a credential. */
export const REDACTED = "[redacted]";
