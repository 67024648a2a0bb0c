/** Small zod schemas shared by the definition schema. */
import { z } from "zod";
import { loadHtml } from "../extract/index.ts";
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
