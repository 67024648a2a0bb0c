/**
 * Converts extracted text to typed values. Every converter is pure and total: it returns
 * `{ ok: false }` instead of throwing, so one odd page never crashes a run.
 */

/** The value types a field can declare. */
export type FieldType = "string" | "number" | "integer" | "boolean" | "date" | "url";

/** All field types, in documentation order. */
export const FIELD_TYPES: readonly FieldType[] = ["string", "number", "integer", "boolean", "date", "url"];

/** The outcome of one conversion. */
export type Conversion = { ok: true; value: unknown } | { ok: false; reason: string };

const fail = (type: FieldType, raw: string): Conversion => ({
  ok: false,
  reason: `cannot convert ${JSON.stringify(raw.slice(0, 80))} to ${type}`,
});

// A run of digits with the separators that may appear inside a number: . , ' and spaces
// (including NBSP and narrow NBSP, used as thousands separators in French and Swiss prices).
const NUMBER_TOKEN = /[-\u2212]?\d(?:[\d.,'\u00a0\u202f ]*\d)?/;

/**
 * Parses the first number found in `raw`, ignoring currency symbols and words around it.
 *
 * Separator rule (deterministic, locale-free):
 * - `'`, spaces, NBSP are always thousands separators: `1 234,5` → 1234.5.
 * - If both `.` and `,` occur, the one that occurs LAST is the decimal mark:
 *   `£1,234.50` → 1234.5 and `1.234,50 €` → 1234.5.
 * - If only one kind occurs and it splits the number into valid thousands groups (1–3 digits
 *   not starting with 0, then groups of exactly three), it is grouping: `1,234` → 1234,
 *   `1.234.567` → 1234567. Otherwise a single one is the decimal mark: `12,5` → 12.5,
 *   `0.500` → 0.5; several that are not groups make the text not a number.
 *
 * @returns `null` when the text holds no number.
 */
export function parseNumber(raw: string): number | null {
  const token = NUMBER_TOKEN.exec(raw)?.[0];
  if (token === undefined) return null;
  const negative = token.startsWith("-") || token.startsWith("\u2212");
  const body = token.replace(/^[-\u2212]/, "").replace(/['\u00a0\u202f ]/g, "");
  const normalised = normaliseSeparators(body);
  if (normalised === null || !/^\d+(\.\d+)?$/.test(normalised)) return null;
  const value = Number(normalised);
  return negative ? -value : value;
}

function normaliseSeparators(body: string): string | null {
  const lastDot = body.lastIndexOf(".");
  const lastComma = body.lastIndexOf(",");
  if (lastDot >= 0 && lastComma >= 0) {
    const [decimal, group] = lastDot > lastComma ? [".", ","] : [",", "."];
    const parts = body.split(decimal);
    if (parts.length !== 2) return null;
    return `${parts[0]!.split(group).join("")}.${parts[1]}`;
  }
  const sep = lastDot >= 0 ? "." : lastComma >= 0 ? "," : null;
  if (sep === null) return body;
  const parts = body.split(sep);
  const head = parts[0]!;
  const groupLike = /^[1-9]\d{0,2}$/.test(head) && parts.slice(1).every((p) => /^\d{3}$/.test(p));
  if (parts.length > 2) return groupLike ? parts.join("") : null;
  return groupLike ? parts.join("") : `${parts[0]}.${parts[1]}`;
}

const TRUE_WORDS = new Set(["true", "yes", "y", "on", "1"]);
const FALSE_WORDS = new Set(["false", "no", "n", "off", "0"]);

/** `true/yes/y/on/1` and `false/no/n/off/0`, case-insensitive; anything else is `null`. */
export function parseBoolean(raw: string): boolean | null {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?\.? ([a-z]+)\.?,? (\d{4})$/i;
const MONTH_DAY_YEAR = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/i;
const EXPLICIT_ZONE = /(\bGMT\b|\bUTC\b|Z$|[+-]\d{2}:?\d{2}$)/i;

/**
 * Parses a date into an ISO-8601 string, the same on every machine (never the local time zone).
 *
 * - `2024-03-05`, `5 March 2024`, `March 5, 2024`, `5th Mar 2024` → `"2024-03-05"` (a calendar
 *   date stays a date).
 * - `2024-03-05T10:00` (no zone: read as UTC), `2024-03-05T10:00+01:00`,
 *   `Tue, 05 Mar 2024 10:00:00 GMT` → `"2024-03-05T09:00:00.000Z"`-style UTC timestamps.
 * - Anything else, including ambiguous `05/03/2024`, is `null`.
 */
export function parseDate(raw: string): string | null {
  const text = raw.trim().replace(/\s+/g, " ");
  const iso = ISO_DATE.exec(text);
  if (iso) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (ISO_DATE_TIME.test(text)) {
    const zoned = EXPLICIT_ZONE.test(text) ? text : `${text}Z`;
    return timestamp(zoned.replace(" ", "T"));
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) return calendarDate(Number(dmy[3]), monthNumber(dmy[2]!), Number(dmy[1]));
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) return calendarDate(Number(mdy[3]), monthNumber(mdy[1]!), Number(mdy[2]));
  return EXPLICIT_ZONE.test(text) ? timestamp(text) : null;
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function calendarDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function timestamp(text: string): string | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Resolves `raw` against `base`; `null` when it is not a valid URL. */
export function resolveUrl(raw: string, base: string): string | null {
  try {
    return new URL(raw.trim(), base).href;
  } catch {
    return null;
  }
}

/**
 * Converts one extracted string to `type`.
 *
 * @param baseUrl - Used by `url` only: the page's final URL, or its `<base href>`.
 */
export function convertValue(raw: string, type: FieldType, baseUrl: string): Conversion {
  let value: unknown;
  switch (type) {
    case "string":
      return { ok: true, value: raw };
    case "number":
      value = parseNumber(raw);
      break;
    case "integer": {
      const n = parseNumber(raw);
      value = n !== null && Number.isSafeInteger(n) ? n : null;
      break;
    }
    case "boolean":
      value = parseBoolean(raw);
      break;
    case "date":
      value = parseDate(raw);
      break;
    case "url":
      value = resolveUrl(raw, baseUrl);
      break;
  }
  return value === null ? fail(type, raw) : { ok: true, value };
}
