/** Schemas of `pages:` entries: fields, records, follow rules. */
import { z } from "zod";
import { FIELD_SOURCES, FIELD_TYPES } from "../extract/index.ts";
import { actionSchema } from "./action-schema.ts";
import { headerMapSchema } from "./request-headers.ts";
import {
  cssSchema,
  jsonPathSchema,
  jsonPathString,
  pageNameSchema,
  regexSchema,
  xpathSchema,
} from "./schema-primitives.ts";

/** The keys that say where a value is read from; at most one of them. */
const SELECTOR_KEYS = ["css", "xpath", "json"] as const;

/** Reports every selector key after the first one given (`css` and `xpath` together). */
function checkOneSelector(
  spec: Partial<Record<(typeof SELECTOR_KEYS)[number], unknown>>,
  ctx: z.RefinementCtx,
): void {
  const given = SELECTOR_KEYS.filter((key) => spec[key] !== undefined);
  for (const key of given.slice(1)) {
    const message = `use one of ${given.map((k) => `"${k}"`).join(" or ")}, not several`;
    ctx.addIssue({ code: "custom", path: [key], message });
  }
}

/** The long form of a field; see docs/scraper-format.md § Fields. */
export const fieldOptionsSchema = z
  .strictObject({
    css: cssSchema.optional(),
    xpath: xpathSchema.optional(),
    json: jsonPathSchema.optional(),
    attr: z.string().min(1).optional(),
    all: z.boolean().optional(),
    type: z.enum(FIELD_TYPES as [string, ...string[]]).optional(),
    regex: regexSchema.optional(),
    default: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown())]).optional(),
    trim: z.boolean().optional(),
    from: z.enum(FIELD_SOURCES as [string, ...string[]]).optional(),
  })
  .superRefine((field, ctx) => {
    checkOneSelector(field, ctx);
    if (field.from === undefined) return;
    for (const key of ["css", "xpath", "json", "attr", "all"] as const) {
      if (field[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `"${key}" cannot be combined with "from"` });
      }
    }
  });

/** A field: a CSS selector (trimmed text of the first match) or the long form. */
export const fieldSpecSchema = z.union([cssSchema, fieldOptionsSchema], {
  // Neither a selector nor an object: say what a field is instead of zod's "Invalid input".
  error: (issue) =>
    typeof issue.input === "string" || (typeof issue.input === "object" && issue.input !== null)
      ? undefined
      : `a field is a CSS selector ("h1.title") or an object ({ css, attr, type, … }), not ${JSON.stringify(issue.input)}`,
});

/** Field name → field. */
export const fieldMapSchema = z.record(z.string().min(1), fieldSpecSchema);

/** A URL template of numbered pages: a URL (relative to the page's) with `{page}` exactly once. */
const templateSchema = z
  .string()
  .refine(
    (t) => t.split("{page}").length === 2,
    'expected a URL with "{page}" once, like "items?page={page}"',
  );

/** A `template` rule follows the next page number by itself: nothing else selects its links. */
function checkTemplateAlone(
  rule: { template?: string } & Record<string, unknown>,
  ctx: z.RefinementCtx,
): void {
  if (rule.template === undefined) return;
  for (const key of [...SELECTOR_KEYS, "pattern", "attr"]) {
    if (rule[key] !== undefined)
      ctx.addIssue({ code: "custom", path: [key], message: `"${key}" cannot be combined with "template"` });
  }
}

/** A follow rule's body needs `method: POST`, and is a form or a JSON document, not both. */
function checkFollowPost(
  rule: { method?: string; form?: unknown; body_json?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (rule.form !== undefined && rule.body_json !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["body_json"],
      message: 'a POST sends "form" or "body_json", not both',
    });
  for (const key of ["form", "body_json"] as const) {
    if (rule[key] !== undefined && rule.method !== "POST")
      ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is a POST body: add method: POST` });
  }
}

/** `records.each` in its long form: exactly one of `css`, `xpath` (HTML pages), `json` (JSON pages). */
const eachOptionsSchema = z
  .strictObject({ css: cssSchema.optional(), xpath: xpathSchema.optional(), json: jsonPathSchema.optional() })
  .superRefine((each, ctx) => {
    checkOneSelector(each, ctx);
    if (SELECTOR_KEYS.every((key) => each[key] === undefined))
      ctx.addIssue({ code: "custom", path: [], message: 'records.each needs "css", "xpath" or "json"' });
  });

/** `records: { each, fields }`: several records per page, one per `each` element. */
export const recordsSchema = z.strictObject({
  each: z.union([cssSchema, eachOptionsSchema]),
  fields: fieldMapSchema,
});

/**
 * A follow rule's `json`: its JSONPath. An object or array there is a POST body written with a
 * start request's key: a follow rule sends it as `body_json`, which the error says, value and all.
 */
const followJsonSchema = jsonPathString({
  error: (issue) =>
    issue.input !== null && typeof issue.input === "object"
      ? `a follow rule's "json" is the JSONPath its links are read by (like "$.next"); ` +
        `a POST's JSON body is "body_json": write body_json: ${JSON.stringify(issue.input)} with method: POST`
      : undefined,
});

/** A follow rule: by CSS selector, XPath or JSONPath, by URL pattern, or both. */
export const followRuleSchema = z
  .strictObject({
    css: cssSchema.optional(),
    xpath: xpathSchema.optional(),
    json: followJsonSchema.optional(),
    template: templateSchema.optional(),
    pattern: regexSchema.optional(),
    page: pageNameSchema,
    attr: z.string().min(1).optional(),
    /** `POST`: the links found are POSTed, with `form` or `body_json` (an empty form without either). */
    method: z.literal("POST").optional(),
    /** Form fields of a POST, sent urlencoded in this order. */
    form: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** A JSON document a POST sends (`json` is the rule's JSONPath). */
    body_json: z.json().optional(),
  })
  .superRefine(checkOneSelector)
  .superRefine(checkTemplateAlone)
  .superRefine(checkFollowPost)
  .refine(
    (rule) =>
      SELECTOR_KEYS.some((key) => rule[key] !== undefined) ||
      rule.pattern !== undefined ||
      rule.template !== undefined,
    {
      message:
        'a follow rule needs "css" (or "xpath", or "json" in a JSON page type), "pattern" or both, or "template"',
    },
  );

/** Keys shared by YAML and TypeScript page types. */
export const pageShape = {
  /** What the body is: `html` (the default: CSS and XPath), `json` (JSONPath) or `xml` (XPath). */
  format: z.enum(["html", "json", "xml"]).optional(),
  follow: z.array(followRuleSchema).optional(),
  record: fieldMapSchema.optional(),
  records: recordsSchema.optional(),
  /** How pages of this type are fetched; default: the scraper's `engine`. */
  engine: z.enum(["http", "browser"]).optional(),
  /** Browser pages: wait until this selector is in the page before reading it. */
  wait_for: cssSchema.optional(),
  /** Browser pages: `load` (the default) or `networkidle` (no requests for 500 ms). */
  wait_until: z.enum(["load", "networkidle"]).optional(),
  /** Browser pages: actions done in order after the page loaded, before it is read. */
  actions: z.array(actionSchema).optional(),
  /** Headers of requests for pages of this type, over the target's and the scraper's. */
  headers: headerMapSchema.optional(),
};

/** Rejects a page type with both `record` and `records`. */
export function checkOneRecordKind(
  page: { record?: unknown; records?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (page.record !== undefined && page.records !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["records"],
      message: 'use either "record" or "records", not both',
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Where a field, `each` or follow rule of a page type reads from, with its path in the page type. */
function readers(page: {
  record?: Record<string, unknown>;
  records?: { each: unknown; fields: Record<string, unknown> };
  follow?: unknown[];
}): { path: (string | number)[]; spec: unknown; kind: "field" | "each" | "follow" }[] {
  const fields = (map: Record<string, unknown> | undefined, at: string[]) =>
    Object.entries(map ?? {}).map(([name, spec]) => ({ path: [...at, name], spec, kind: "field" as const }));
  return [
    ...fields(page.record, ["record"]),
    ...(page.records ? [{ path: ["records", "each"], spec: page.records.each, kind: "each" as const }] : []),
    ...fields(page.records?.fields, ["records", "fields"]),
    ...(page.follow ?? []).map((spec, i) => ({ path: ["follow", i], spec, kind: "follow" as const })),
  ];
}

/**
 * Rejects selectors of the wrong kind for the page type's `format`: a `json` page type reads by
 * `json:` (or `from:`) only; an HTML one never by `json:`.
 */
export function checkFormat(
  page: Parameters<typeof readers>[0] & { format?: string },
  ctx: z.RefinementCtx,
): void {
  const json = page.format === "json";
  for (const { path, spec, kind } of readers(page)) {
    const options = typeof spec === "string" ? { css: spec } : isObject(spec) ? spec : {};
    if (json) {
      const reads = options.css ?? options.xpath;
      const missing = kind !== "field" && options.json === undefined && options.template === undefined;
      if (reads !== undefined || missing) {
        const message =
          kind === "field"
            ? 'a format: json page type reads a field by JSONPath: { json: "$.title" } (or from:)'
            : kind === "each"
              ? 'a format: json page type\'s records.each is { json: "$.…" }'
              : 'a format: json page type\'s follow rule is { json: "$.…" } or { template: "…{page}…" }';
        ctx.addIssue({ code: "custom", path, message });
      }
    } else if (page.format === "xml") {
      checkXmlReader(path, options, kind, ctx);
    } else if (options.json !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "json"],
        message: '"json" needs format: json on the page type',
      });
    }
  }
}

/** A `format: xml` page type reads by XPath (or `from:`), never by CSS or JSONPath. */
function checkXmlReader(
  path: (string | number)[],
  options: Record<string, unknown>,
  kind: "field" | "each" | "follow",
  ctx: z.RefinementCtx,
): void {
  const wrong = options.css !== undefined ? "css" : options.json !== undefined ? "json" : undefined;
  if (wrong === undefined) return;
  const message =
    kind === "field"
      ? 'a format: xml page type reads a field by XPath: { xpath: "//item/title" } (or from:)'
      : kind === "each"
        ? 'a format: xml page type\'s records.each is { xpath: "//item" }'
        : 'a format: xml page type\'s follow rule is { xpath: "//loc", page } (or pattern, or template)';
  ctx.addIssue({ code: "custom", path, message });
}
