/**
 * THE schema of scraper definitions (docs/scraper-format.md). YAML files and `defineScraper`
 * objects are validated by the same schema; the TypeScript variant only adds hook functions.
 * Keys are snake_case in both. Objects are strict: an unknown key is an error naming the key.
 */
import { z } from "zod";
import { FETCH_DEFAULTS } from "../fetch/index.ts";
import { loginSchema } from "./action-schema.ts";
import { checkFormat, checkOneRecordKind, pageShape } from "./page-schema.ts";
import { cookieMapSchema, headerMapSchema } from "./request-headers.ts";
import { checkKeyFields, keySchema } from "./record-key.ts";
import { checkProxies, proxyShape } from "./proxy-schema.ts";
import { checkPostStarts, datasetStartSchema, fileStartSchema, postStartSchema } from "./start-schema.ts";
import { checkSitemapPages, sitemapStartSchema } from "./sitemap-start.ts";
import {
  durationSchema,
  durationText,
  pageNameSchema,
  retryStatusesSchema,
  sizeSchema,
  sizeText,
  slugSchema,
  toleranceSchema,
} from "./schema-primitives.ts";
import { stepEntrySchema } from "./step-schema.ts";
import { templatedUrlSchema } from "./template.ts";

/** One start entry: a URL, or a source of URLs (start-schema.ts). Extend this union for new sources. */
const startEntrySchema = z.union([
  templatedUrlSchema,
  fileStartSchema,
  datasetStartSchema,
  sitemapStartSchema,
  postStartSchema,
]);
/** `start:` of the scraper or a target: one entry or a list of them. */
const startSchema = z.union([startEntrySchema, z.array(startEntrySchema).min(1)]);

/** A named group of start URLs; progress is reported per target. */
export const targetSchema = z.strictObject({
  name: slugSchema,
  start: startSchema,
  /** Headers of this target's requests, over the scraper's. */
  headers: headerMapSchema.optional(),
});

/** Run limits; absent ones are unlimited. */
export const limitsSchema = z.strictObject({
  max_pages: z.number().int().positive().optional(),
  max_depth: z.number().int().nonnegative().optional(),
  max_runtime: durationSchema.optional(),
  /** Memory the run may hold (docs/limits.md: what is measured); over it the run pauses. */
  max_memory: sizeSchema.optional(),
  /** CPU time the run may use over all its sessions; over it the run pauses. */
  max_cpu: durationSchema.optional(),
  max_url_length: z.number().int().min(64).max(65536).default(FETCH_DEFAULTS.maxUrlLength),
  /** Failed requests a run tolerates, as a count or a share of all its requests ("10%"). */
  max_failed: toleranceSchema("requests").optional(),
});

/** Adaptive per-host rate: where it starts, and the bounds it moves between. */
const rateObjectSchema = z.strictObject({
  start: z.number().positive(),
  min: z.number().positive().optional(),
  max: z.number().positive().optional(),
});

/** A number of requests in flight. */
const concurrencyCount = z.number().int().min(1).max(1000);

/**
 * `concurrency`: a number, or `auto` (found as the run goes, within `FETCH_DEFAULTS.autoConcurrency`), or
 * `{ start, min, max }` (found within those bounds).
 */
const concurrencySchema = z.union([
  concurrencyCount,
  z.literal("auto"),
  z
    .strictObject({
      start: concurrencyCount.optional(),
      min: concurrencyCount.optional(),
      max: concurrencyCount,
    })
    .refine((c) => (c.min ?? 1) <= c.max && (c.start ?? 1) <= c.max && (c.min ?? 1) <= (c.start ?? c.max), {
      message: "expected min ≤ start ≤ max",
    }),
]);

/** Politeness and fetch settings; every default is the fetch layer's (`FETCH_DEFAULTS`). */
export const politenessSchema = z.strictObject({
  concurrency: concurrencySchema.default(FETCH_DEFAULTS.concurrency),
  rate_per_host: z.union([z.number().positive(), rateObjectSchema]).default(FETCH_DEFAULTS.ratePerHost),
  robots: z.enum(["obey", "ignore"]).default(FETCH_DEFAULTS.obeyRobots ? "obey" : "ignore"),
  user_agent: z.string().min(1).default(FETCH_DEFAULTS.userAgent),
  timeout: durationSchema.default(durationText(FETCH_DEFAULTS.timeoutMs)),
  retries: z.number().int().min(0).max(20).default(FETCH_DEFAULTS.retry.retries),
  /** The HTTP statuses that retry; replaces the default list. */
  retry_statuses: retryStatusesSchema.default([...FETCH_DEFAULTS.retry.retryStatuses]),
  max_body: sizeSchema.default(sizeText(FETCH_DEFAULTS.maxBodyBytes)),
  max_redirects: z.number().int().min(0).max(50).default(FETCH_DEFAULTS.maxRedirects),
  /** `revalidate`: revisits ask with the validators of the page stored by the last run (304: reused). */
  cache: z.enum(["off", "revalidate"]).default("off"),
});

/** The browser engine: how many pages at once, when contexts are renewed, what is not loaded. */
export const browserSchema = z.strictObject({
  max_pages: z.number().int().min(1).max(64).default(4),
  recycle_after: z.number().int().min(1).max(100_000).default(50),
  block: z.array(z.enum(["image", "font", "media", "stylesheet"])).default([]),
  viewport: z
    .strictObject({ width: z.number().int().min(200).max(8000), height: z.number().int().min(200).max(8000) })
    .default({ width: 1280, height: 800 }),
  /** Logs in once per session; the session (cookies, storage) is kept per scraper between runs. */
  login: loginSchema.optional(),
  /** `failed`: a screenshot of every failed browser page; `all`: of every browser page. */
  screenshots: z.enum(["failed", "all"]).default("failed"),
  /** Capture the network responses of browser pages, for a HAR of each run. */
  har: z.boolean().default(false),
});

type Hook = (...args: never[]) => unknown;
const hookSchema = z.custom<Hook>((v) => typeof v === "function", { message: "expected a function" });

/** A page type of a YAML definition. */
export const basePageSchema = z
  .strictObject(pageShape)
  .superRefine(checkOneRecordKind)
  .superRefine(checkFormat);
const codePageSchema = z
  .strictObject({ ...pageShape, parse: hookSchema.optional() })
  .superRefine(checkOneRecordKind)
  .superRefine(checkFormat);

function topLevelShape<P extends z.ZodType>(page: P) {
  return {
    name: slugSchema,
    description: z.string().optional(),
    start: startSchema.optional(),
    targets: z.array(targetSchema).min(1).optional(),
    pages: z.record(pageNameSchema, page),
    limits: limitsSchema.prefault({}),
    politeness: politenessSchema.prefault({}),
    /** Headers of every request (`{{ env.NAME }}` allowed); a target's and a page type's win. */
    headers: headerMapSchema.optional(),
    /** Cookies of every request, sent as one `Cookie` header. */
    cookies: cookieMapSchema.optional(),
    /** `proxy:`, or `proxies:` with `rotate:` (proxy-schema.ts). */
    ...proxyShape,
    /** How pages are fetched unless a page type says otherwise. */
    engine: z.enum(["http", "browser"]).default("http"),
    browser: browserSchema.prefault({}),
    /** Record every run: responses, browser actions and screenshots, for offline replay. */
    record: z.boolean().default(false),
    steps: z.array(stepEntrySchema).default([]),
    /** The fields identifying a record across runs; default: the last dedupe step's key. */
    key: keySchema.optional(),
    /** A crawl that yields no records succeeds (else it fails before the steps). */
    allow_empty: z.boolean().default(false),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Checks between sections: targets vs start, `page:` references, unique names. Runs even when
 * other parts failed (so every problem is reported at once), hence it trusts nothing it reads.
 */
function crossCheck(def: unknown, ctx: z.RefinementCtx): void {
  if (!isObject(def)) return;
  if ((def.start === undefined) === (def.targets === undefined)) {
    const message =
      def.start === undefined
        ? 'where to begin is missing: give "start" (one target) or "targets"'
        : 'give either "start" (one target) or "targets", not both';
    ctx.addIssue({ code: "custom", path: [], message });
  }
  const pages = isObject(def.pages) ? def.pages : {};
  const pageNames = Object.keys(pages);
  checkSitemapPages(def, pageNames, ctx);
  checkPostStarts(def, ctx);
  if (isObject(def.pages) && pageNames.length === 0) {
    ctx.addIssue({ code: "custom", path: ["pages"], message: "at least one page type is needed" });
  }
  for (const [pageName, page] of Object.entries(pages)) {
    const engine = (isObject(page) ? page.engine : undefined) ?? def.engine ?? "http";
    if (engine === "browser" && isObject(page) && (page.format === "json" || page.format === "xml")) {
      const message = `format: ${String(page.format)} page types are fetched over HTTP: remove engine: browser for this page type`;
      ctx.addIssue({ code: "custom", path: ["pages", pageName, "format"], message });
    }
    for (const key of ["wait_for", "wait_until", "actions"] as const) {
      if (engine !== "browser" && isObject(page) && page[key] !== undefined) {
        const message = `"${key}" needs engine: browser (this page type is fetched over HTTP)`;
        ctx.addIssue({ code: "custom", path: ["pages", pageName, key], message });
      }
    }
    asArray(isObject(page) ? page.follow : undefined).forEach((rule, i) => {
      const target = isObject(rule) ? rule.page : undefined;
      if (typeof target === "string" && !pageNames.includes(target)) {
        const message = `unknown page type "${target}" (pages: ${pageNames.join(", ")})`;
        ctx.addIssue({ code: "custom", path: ["pages", pageName, "follow", i, "page"], message });
      }
      const targetPage = typeof target === "string" ? pages[target] : undefined;
      const targetEngine = (isObject(targetPage) ? targetPage.engine : undefined) ?? def.engine ?? "http";
      if (isObject(rule) && rule.method === "POST" && targetEngine === "browser") {
        const message = `a POST follow rule is fetched over HTTP, but the page type "${String(target)}" uses the browser`;
        ctx.addIssue({ code: "custom", path: ["pages", pageName, "follow", i, "method"], message });
      }
    });
  }
  const browserPages = Object.values(pages).filter(
    (page) => ((isObject(page) ? page.engine : undefined) ?? def.engine ?? "http") === "browser",
  );
  if (isObject(def.browser) && def.browser.login !== undefined && browserPages.length === 0) {
    const message = "a login needs a page type with engine: browser (the login runs in the browser)";
    ctx.addIssue({ code: "custom", path: ["browser", "login"], message });
  }
  checkProxies(def, ctx, browserPages.length > 0);
  reportDuplicates(ctx, "targets", def.targets, "target");
  reportDuplicates(ctx, "steps", def.steps, "step");
  checkKeyFields(def, ctx);
}

function reportDuplicates(ctx: z.RefinementCtx, key: string, list: unknown, what: string): void {
  const names = asArray(list).map((item) => (isObject(item) ? item.name : undefined));
  names.forEach((name, i) => {
    if (typeof name === "string" && names.indexOf(name) !== i) {
      ctx.addIssue({ code: "custom", path: [key, i, "name"], message: `duplicate ${what} name "${name}"` });
    }
  });
}

const ALWAYS = { when: () => true };

/** A YAML (plain data) scraper definition. Its JSON Schema is `schema/scraper.schema.json`. */
export const definitionSchema = z.strictObject(topLevelShape(basePageSchema)).superRefine(crossCheck, ALWAYS);

/** A TypeScript scraper definition: the YAML shape plus `setup`, `cleanup` and pages' `parse`. */
export const codeDefinitionSchema = z
  .strictObject({
    ...topLevelShape(codePageSchema),
    setup: hookSchema.optional(),
    cleanup: hookSchema.optional(),
  })
  .superRefine(crossCheck, ALWAYS);

/** A validated YAML definition (defaults applied). */
export type Definition = z.output<typeof definitionSchema>;
/** A validated TypeScript definition (defaults applied). */
export type CodeDefinition = z.output<typeof codeDefinitionSchema>;
/** What a YAML file may contain, before defaults. */
export type DefinitionInput = z.input<typeof definitionSchema>;
