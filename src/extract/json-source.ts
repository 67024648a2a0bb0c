/**
 * Pages of `format: json`: the body parsed once, fields, `records.each` and follow rules read by
 * JSONPath (RFC 9535) through the `jsonpath-rfc9535` library (never a hand-written engine).
 */
import { query, type JsonValue } from "jsonpath-rfc9535";
import parseJsonPath from "jsonpath-rfc9535/parser";
import { NotJsonError } from "./errors.ts";
import { buildRecord, finish, MISSING, readFact, trimmed } from "./fields.ts";
import type { ExtractWarnings, FieldHits } from "./fields.ts";
import type { FieldMap, FieldOptions, PageFacts } from "./field-spec.ts";
import { resolveUrl } from "./convert.ts";
import { followBody } from "./follow-body.ts";
import type { FollowRule, FoundLink } from "./links.ts";

/** The function extensions of RFC 9535 (the library evaluates an unknown one to nothing, silently). */
const RFC_FUNCTIONS = new Set(["length", "count", "match", "search", "value"]);

/** The first function of a parsed path that RFC 9535 does not define. */
function unknownFunction(node: unknown): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const { type, name } = node as { type?: unknown; name?: unknown };
  if (type === "FunctionExpr" && typeof name === "string" && !RFC_FUNCTIONS.has(name)) return name;
  for (const value of Object.values(node)) {
    const found = unknownFunction(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Why a JSONPath expression is not valid RFC 9535 (it does not parse, or calls a function the
 * RFC does not define), or `null`. The library's message says where it stopped and what it
 * expected there.
 */
export function jsonPathProblem(expression: string): string | null {
  try {
    const unknown = unknownFunction(parseJsonPath(expression));
    return unknown === undefined
      ? null
      : `unknown JSONPath function "${unknown}()"; RFC 9535 has ${[...RFC_FUNCTIONS].join("(), ")}()`;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `invalid JSONPath (${reason}); expected RFC 9535 JSONPath like "$.items[*]" or "$.title"`;
  }
}

/**
 * The parsed body of a JSON page.
 * @throws NotJsonError (reason code `not_json`) when the body is not JSON.
 */
export function parseJsonBody(body: string, url: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new NotJsonError(url, problem, { cause: error });
  }
}

/** Every value `expression` selects in `value`, in document order. */
export function selectJson(value: unknown, expression: string): unknown[] {
  return query(value as JsonValue, expression);
}

/** One JSON value as a field's value: native unless `type` or `regex` asks for conversion. */
function jsonValue(
  name: string,
  value: unknown,
  options: FieldOptions,
  facts: PageFacts,
  warnings: ExtractWarnings,
): unknown {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === "string") return finish(name, trimmed(value, options), options, facts, warnings);
  if (options.type === undefined && options.regex === undefined) return value;
  const raw =
    typeof value === "number" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return finish(name, raw, options, facts, warnings);
}

function readJsonField(
  scope: unknown,
  name: string,
  options: FieldOptions,
  facts: PageFacts,
  warnings: ExtractWarnings,
): unknown {
  if (options.from !== undefined) return finish(name, readFact(options, facts), options, facts, warnings);
  const values = options.json === undefined ? [scope] : selectJson(scope, options.json);
  if (options.all !== true) {
    return values.length === 0 ? MISSING : jsonValue(name, values[0], options, facts, warnings);
  }
  const found = values.map((v) => jsonValue(name, v, options, facts, warnings)).filter((v) => v !== MISSING);
  return found.length === 0 ? MISSING : found;
}

/**
 * Extracts every field of `fields` from a JSON value (the body, or one `records.each` item):
 * `json` paths are relative to it (`$` is `scope`); without `json` or `from`, `scope` itself.
 */
export function extractJsonRecord(
  scope: unknown,
  fields: FieldMap,
  facts: PageFacts,
  warnings: ExtractWarnings,
  hits?: FieldHits,
): Record<string, unknown> {
  return buildRecord(fields, hits, (name, options) => readJsonField(scope, name, options, facts, warnings));
}

/**
 * Applies `json` follow rules to a JSON body: every string a rule's path selects, resolved
 * against `baseUrl`, kept when http(s) and matching the rule's `pattern`. Other values (numbers,
 * `null` for "no next page", objects) are skipped.
 *
 * @param found - When given, `found[offset + i]` goes up by the links rule `i` found.
 */
export function extractJsonLinks(
  body: unknown,
  rules: readonly FollowRule[],
  baseUrl: string,
  found?: number[],
  offset = 0,
): FoundLink[] {
  const links: FoundLink[] = [];
  rules.forEach((rule, i) => {
    if (rule.json === undefined) return;
    const before = links.length;
    const pattern = rule.pattern === undefined ? null : new RegExp(rule.pattern);
    const post = followBody(rule);
    for (const value of selectJson(body, rule.json)) {
      if (typeof value !== "string" || value.trim() === "") continue;
      const url = resolveUrl(value, baseUrl);
      if (url !== null && /^https?:/.test(url) && (pattern === null || pattern.test(url)))
        links.push(post ? { url, page: rule.page, body: post } : { url, page: rule.page });
    }
    if (found) found[offset + i]! += links.length - before;
  });
  return links;
}
