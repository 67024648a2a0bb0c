/** Small zod schemas shared by the definition schema. */
import { z } from "zod";
import { jsonPathProblem, loadHtml, xpathProblem } from "../extract/index.ts";
import { DURATION_PATTERN, PERCENT_PATTERN, SIZE_PATTERN } from "./units.ts";

/** Scraper, target, dataset and step names: lower-case slug. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    "expected a slug: a-z, 0-9, '-' and '_', starting with a letter or digit",
  );

/** Page type names: identifiers, so they read well in `page:` references. */
export const pageNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "expected a page type name: letters, digits, '-' and '_'");

/** An absolute http(s) URL. */
export const httpUrlSchema = z.url({
  protocol: /^https?$/,
  error: "expected an absolute http:// or https:// URL",
});

/** A duration: milliseconds, or `"30s"`, `"10m"`, `"1h"`… */
export const durationSchema = z.union([
  z.number().int().nonnegative(),
  z.string().regex(DURATION_PATTERN, 'expected a duration like "500ms", "30s", "10m", "1h" or milliseconds'),
]);

/** A tolerance: a count, or a percentage of the total from `"0%"` to `"100%"`. */
export function toleranceSchema(what: string) {
  return z.union(
    [
      z.number().int().nonnegative(),
      z.string().regex(PERCENT_PATTERN, `expected a number of ${what} like 50, or a percentage like "10%"`),
    ],
    { error: `expected a number of ${what} like 50, or a percentage like "10%"` },
  );
}

/** A duration as a definition writes it: `30s`, `2m`, `500ms` (for defaults shown in the schema). */
export function durationText(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A size as a definition writes it: `10MB`, `512KB`, or bytes (for defaults shown in the schema). */
export function sizeText(bytes: number): string | number {
  const KB = 1024;
  if (bytes % (KB * KB) === 0) return `${bytes / (KB * KB)}MB`;
  if (bytes % KB === 0) return `${bytes / KB}KB`;
  return bytes;
}

/**
 * The HTTP statuses a scraper retries: error statuses (400–599), each once. An empty list
 * retries no status (network failures still retry).
 */
export const retryStatusesSchema = z
  .array(
    z
      .number({ error: "expected an HTTP status like 503" })
      .int("expected an HTTP status like 503")
      .min(400, "expected an HTTP error status, 400 to 599: other statuses never fail a request")
      .max(599, "expected an HTTP error status, 400 to 599"),
    { error: "expected a list of HTTP statuses, like [429, 503]" },
  )
  .superRefine((statuses, ctx) => {
    statuses.forEach((status, i) => {
      if (statuses.indexOf(status) !== i) {
        ctx.addIssue({ code: "custom", path: [i], message: `${status} is listed twice` });
      }
    });
  });

/** A byte size: bytes, or `"512KB"`, `"10MB"`… (binary units). */
export const sizeSchema = z.union([
  z.number().int().positive(),
  z.string().regex(SIZE_PATTERN, 'expected a size like "512KB", "10MB" or bytes'),
]);

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A JavaScript regular expression source, checked to compile. */
export const regexSchema = z.string().refine(isRegex, "invalid regular expression");

const emptyDocument = loadHtml("").root();

function isSelector(selector: string): boolean {
  try {
    emptyDocument.find(selector);
    return true;
  } catch {
    return false;
  }
}

/** A CSS selector, checked to parse (so a typo fails at load time, not on every page). */
export const cssSchema = z
  .string()
  .min(1, "expected a CSS selector")
  .refine(isSelector, "invalid CSS selector");

/** An XPath 1.0 expression, checked to parse and to call only XPath 1.0 functions. */
export const xpathSchema = z
  .string()
  .min(1, "expected an XPath expression")
  .superRefine((expression, ctx) => {
    const problem = xpathProblem(expression);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * A JSONPath (RFC 9535) expression, checked to parse; `params` of `z.string` word the error of a
 * value that is no string (see a follow rule's `json`).
 */
export function jsonPathString(params?: Parameters<typeof z.string>[0]) {
  return z
    .string(params)
    .min(1, "expected a JSONPath like $.items[*]")
    .superRefine((expression, ctx) => {
      const problem = jsonPathProblem(expression);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    });
}

/** A JSONPath (RFC 9535) expression, checked to parse. */
export const jsonPathSchema = jsonPathString();
