/** The compiler: validated definition → `CompiledScraper`, the plan the engine runs. */
import { compileAction, compileLogin, envNamesOf, secretNamesOf } from "./compile-actions.ts";
import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { FETCH_DEFAULTS, rateBounds, secretLinesIn } from "../fetch/index.ts";
import { compilePage } from "./compile-page.ts";
import { readyChecks } from "./page-selectors.ts";
import type { ParseHook, PageSpec } from "./compile-page.ts";
import { codeDefinitionSchema } from "./definition-schema.ts";
import type { CodeDefinition, Definition } from "./definition-schema.ts";
import { DefinitionError } from "./errors.ts";
import { isCodeFile, loadCodeModule } from "./load-code.ts";
import { loadYamlDefinition } from "./load-yaml.ts";
import { issuesToProblems, noPositions } from "./problems.ts";
import { resolveRecordKey } from "./record-key.ts";
import { RequestHeaders, type HeaderLevels } from "./request-headers.ts";
import { compileProxies, proxyEnvNames, proxySecretNames } from "./proxy-schema.ts";
import { getStepFactory } from "./registry.ts";
import { compileStart, type StartEntry } from "./start-sources.ts";
import { startTemplates } from "./start-templates.ts";
import { sitemapPages, splitSitemapStarts, type SitemapStartEntry } from "./sitemap-start.ts";
import type { StepEntry } from "./step-schema.ts";
import type { CompiledScraper, CompiledStep, CompiledTarget, RunLimits } from "./types.ts";
import type { BrowserLoad, Politeness } from "../fetch/index.ts";
import { parseDuration, parseSize, parseTolerance } from "./units.ts";

/** Where a definition came from. */
export interface CompileOptions {
  /** The definition file; made absolute in `CompiledScraper.source` and named in problems. */
  source?: string;
  /** The definition's text; its SHA-256 is the scraper's `hash`. */
  text?: string;
}

type AnyDefinition = Definition | CodeDefinition;

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Hash of an in-memory definition: its JSON, functions included as their source text. */
function hashObject(value: unknown): string {
  return sha256(JSON.stringify(value, (_key, v: unknown) => (typeof v === "function" ? String(v) : v)));
}

/** The names the lists hold, each once, in order of first appearance. */
function unique(...lists: (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((list) => list ?? []))];
}

/** Targets with their start URLs and sources; `baseDir` resolves start files (the definition's folder). */
function compileTargets(def: AnyDefinition, baseDir: string): CompiledTarget[] {
  type Entry = StartEntry | SitemapStartEntry;
  const target = (name: string, start: Entry | Entry[]): CompiledTarget => {
    const { others, sitemaps } = splitSitemapStarts(name, start, Object.keys(def.pages)[0]!);
    const { urls, posts, sources } = compileStart(others, baseDir);
    return {
      name,
      start: urls,
      ...(posts.length > 0 && { posts }),
      ...(sources.length > 0 && { sources }),
      ...(sitemaps.length > 0 && { sitemaps }),
    };
  };
  if (def.targets !== undefined) return def.targets.map((t) => target(t.name, t.start));
  return def.start === undefined ? [] : [target(def.name, def.start)];
}

function compileLimits(limits: AnyDefinition["limits"]): RunLimits {
  return {
    maxUrlLength: limits.max_url_length,
    ...(limits.max_pages !== undefined && { maxPages: limits.max_pages }),
    ...(limits.max_depth !== undefined && { maxDepth: limits.max_depth }),
    ...(limits.max_runtime !== undefined && { maxRuntimeMs: parseDuration(limits.max_runtime) }),
    ...(limits.max_memory !== undefined && { maxMemoryBytes: parseSize(limits.max_memory) }),
    ...(limits.max_cpu !== undefined && { maxCpuMs: parseDuration(limits.max_cpu) }),
    ...(limits.max_failed !== undefined && { maxFailed: parseTolerance(limits.max_failed) }),
  };
}

/** The bounds of an autoscaled `concurrency` (`auto`, or `{ start, min, max }`); none for a number. */
function autoscaleOf(concurrency: AnyDefinition["politeness"]["concurrency"]): Politeness["autoscale"] {
  if (typeof concurrency === "number") return undefined;
  const given: { start?: number; min?: number; max?: number } = concurrency === "auto" ? {} : concurrency;
  const max = given.max ?? FETCH_DEFAULTS.autoConcurrency.max;
  const min = given.min ?? Math.min(FETCH_DEFAULTS.autoConcurrency.min, max);
  return {
    start: given.start ?? Math.max(min, Math.min(FETCH_DEFAULTS.autoConcurrency.start, max)),
    min,
    max,
  };
}

/** A plain `rate_per_host: n` adapts between n/10 and n (see `rateBounds`): never faster than asked. */
function compilePoliteness(p: AnyDefinition["politeness"]): Politeness {
  const rate = typeof p.rate_per_host === "number" ? { start: p.rate_per_host } : p.rate_per_host;
  const bounds = rateBounds(rate.start, rate.min, rate.max);
  const autoscale = autoscaleOf(p.concurrency);
  return {
    concurrency: autoscale?.max ?? (p.concurrency as number),
    ...(autoscale && { autoscale }),
    ratePerHost: bounds.start,
    minRatePerHost: bounds.min,
    maxRatePerHost: bounds.max,
    obeyRobots: p.robots === "obey",
    userAgent: p.user_agent,
    timeoutMs: parseDuration(p.timeout),
    retries: p.retries,
    retryStatuses: p.retry_statuses,
    maxBodyBytes: parseSize(p.max_body),
    maxRedirects: p.max_redirects,
    ...(p.cache === "revalidate" && { cache: "revalidate" as const }),
  };
}

/** Step names: explicit ones as given, others named after their kind (`transform`, `transform-2`). */
function stepNames(entries: readonly StepEntry[]): string[] {
  const taken = new Set(entries.flatMap((e) => (e.name === undefined ? [] : [e.name])));
  return entries.map((entry) => {
    if (entry.name !== undefined) return entry.name;
    let name = entry.kind;
    for (let n = 2; taken.has(name); n++) name = `${entry.kind}-${n}`;
    taken.add(name);
    return name;
  });
}

function compileSteps(def: AnyDefinition): CompiledStep[] {
  const names = stepNames(def.steps);
  return def.steps.map((entry, i) => {
    // The schema already checked the kind is registered.
    const factory = getStepFactory(entry.kind)!;
    return factory.create(entry.config, { name: names[i]!, kind: entry.kind, scraper: def.name });
  });
}

/**
 * Auto-wait of a browser page type without `wait_for`: for its selectors, else (a `parse` hook
 * reads the page its own way) for a quiet page; none when it reads nothing from the page.
 */
function autoWaitOf(spec: PageSpec): Pick<BrowserLoad, "autoWait"> {
  const checks = readyChecks(spec);
  return checks.length > 0 || spec.parse !== undefined ? { autoWait: { checks } } : {};
}

/** The headers and cookies of the definition's requests; undefined when it names none. */
function requestHeadersOf(def: AnyDefinition): RequestHeaders | undefined {
  const levels: HeaderLevels = {
    ...(def.headers && { scraper: def.headers }),
    ...(def.cookies && { cookies: def.cookies }),
    targets: Object.fromEntries((def.targets ?? []).map((t) => [t.name, t.headers])),
    pages: Object.fromEntries(Object.entries(def.pages).map(([name, page]) => [name, page.headers])),
  };
  return RequestHeaders.any(levels) ? new RequestHeaders(levels) : undefined;
}

/** Compiles a definition that already passed the schema. */
export function compileValidated(def: AnyDefinition, options: CompileOptions = {}): CompiledScraper {
  const pageNames = new Set(Object.keys(def.pages));
  const browserPages = new Set(
    Object.keys(def.pages).filter((name) => (def.pages[name]!.engine ?? def.engine) === "browser"),
  );
  const pages = Object.fromEntries(
    Object.entries(def.pages).map(([name, page]) => {
      // Headers are the fetch's (see requestHeadersOf), not the parse's.
      const { engine, wait_for: waitFor, wait_until: waitUntil, actions, headers: _headers, ...spec } = page;
      const compiled = compilePage(name, spec as PageSpec, pageNames, browserPages);
      if ((engine ?? def.engine) === "browser") {
        compiled.load = {
          waitUntil: waitUntil ?? "load",
          ...(waitFor !== undefined && { waitFor }),
          actions: (actions ?? []).map(compileAction),
          ...(waitFor === undefined && autoWaitOf(spec as PageSpec)),
        };
      }
      return [name, compiled];
    }),
  );
  const usesBrowser = Object.values(pages).some((page) => page.load !== undefined);
  const login = def.browser.login && compileLogin(def.browser.login);
  const actions = [
    ...Object.values(pages).flatMap((page) => page.load?.actions ?? []),
    ...(login?.actions ?? []),
  ];
  const hooks = def as Partial<Pick<CompiledScraper, "setup" | "cleanup">>;
  const steps = compileSteps(def);
  const key = resolveRecordKey(def.key, steps);
  const headers = requestHeadersOf(def);
  const proxies = compileProxies(def);
  const targets = compileTargets(
    def,
    options.source !== undefined ? dirname(resolve(options.source)) : process.cwd(),
  );
  const starts = startTemplates(targets);
  return {
    name: def.name,
    ...(options.source !== undefined && { source: resolve(options.source) }),
    hash: options.text !== undefined ? sha256(options.text) : hashObject(def),
    targets,
    startPage: [...pageNames][0]!,
    pages: { ...pages, ...sitemapPages(targets) },
    steps,
    ...(key !== undefined && { key }),
    limits: compileLimits(def.limits),
    politeness: compilePoliteness(def.politeness),
    browser: usesBrowser
      ? {
          maxPages: def.browser.max_pages,
          recycleAfter: def.browser.recycle_after,
          block: def.browser.block,
          viewport: def.browser.viewport,
          screenshots: def.browser.screenshots,
          har: def.browser.har,
          ...(login && { login }),
        }
      : null,
    record: def.record,
    ...(def.allow_empty && { allowEmpty: true }),
    ...(headers && { headers }),
    ...(proxies && { proxies }),
    ...(starts.hosts && { templateHosts: starts.hosts }),
    envNames: unique(envNamesOf(actions), headers?.envNames, proxyEnvNames(proxies), starts.envNames),
    secretNames: unique(
      secretNamesOf(actions),
      headers?.secretNames,
      proxySecretNames(proxies),
      starts.secretNames,
    ),
    ...(options.text !== undefined && { secretLines: secretLinesIn(options.text) }),
    ...(hooks.setup !== undefined && { setup: hooks.setup }),
    ...(hooks.cleanup !== undefined && { cleanup: hooks.cleanup }),
  };
}

/**
 * Validates and compiles an in-memory definition (a `defineScraper` object or parsed YAML).
 *
 * @throws DefinitionError with every problem (no line/column: objects have no positions).
 */
export function compileDefinition(definition: unknown, options: CompileOptions = {}): CompiledScraper {
  const parsed = codeDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    throw new DefinitionError(
      issuesToProblems(parsed.error.issues, options.source ?? "<definition>", noPositions),
    );
  }
  return compileValidated(parsed.data, options);
}

/**
 * Loads a scraper from a file: `.ts`/`.mts`/`.js`/`.mjs` by import (default export), anything
 * else as YAML. `hash` is the SHA-256 of the file's text.
 *
 * @throws DefinitionError (exit code 2) listing every problem; DefinitionLoadError when the file
 *   cannot be read or imported.
 */
export async function loadScraper(file: string): Promise<CompiledScraper> {
  if (isCodeFile(file)) {
    const { value, text } = await loadCodeModule(file);
    return compileDefinition(value, { source: file, text });
  }
  const { definition, text } = await loadYamlDefinition(file);
  return compileValidated(definition, { source: file, text });
}

export type { ParseHook };
