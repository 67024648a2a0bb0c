/**
 * The shapes of runs as the API serves them and the web app reads them: one TypeBox schema each,
 * used by the routes as response schemas and by both sides as types. It imports nothing but
 * TypeBox and its sibling contract files, so the web app can import its types too.
 */
import { Type, type Static } from "typebox";
import { Instant, Nullable } from "./shared.ts";
import { RUN_CONTROLS, RUN_STATUSES, SELECTOR_KINDS, STEP_STATUSES, TARGET_STATUSES } from "./values.ts";

/** A run's state (see {@link RUN_STATUSES}). */
export const RunStatusSchema = Type.Enum(RUN_STATUSES);
export type RunStatus = Static<typeof RunStatusSchema>;

/** A command a user can give a run. */
export const RunControlSchema = Type.Enum(RUN_CONTROLS);
export type RunControl = Static<typeof RunControlSchema>;

/** A step's state (see {@link STEP_STATUSES}). */
export const StepStatusSchema = Type.Enum(STEP_STATUSES);
export type StepStatus = Static<typeof StepStatusSchema>;

/** A target's state (see {@link TARGET_STATUSES}). */
export const TargetStatusSchema = Type.Enum(TARGET_STATUSES);
export type TargetStatus = Static<typeof TargetStatusSchema>;

/** Counters of one target (or of the whole run). */
export const ProgressSchema = Type.Object({
  /** Requests finished (successfully or not). */
  pagesDone: Type.Integer(),
  /** Requests known: done, pending and in flight. */
  pagesKnown: Type.Integer(),
  records: Type.Integer(),
  errors: Type.Integer(),
});
export type Progress = Static<typeof ProgressSchema>;

/** Progress of one target, as listed in `targets:` of a definition. */
export const TargetProgressSchema = Type.Object({
  name: Type.String(),
  status: TargetStatusSchema,
  pagesDone: Type.Integer(),
  pagesKnown: Type.Integer(),
  records: Type.Integer(),
  errors: Type.Integer(),
});
export type TargetProgress = Static<typeof TargetProgressSchema>;

/** One step of a run's pipeline (`crawl` first). */
export const RunStepSchema = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  status: StepStatusSchema,
  records: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
});
export type RunStep = Static<typeof RunStepSchema>;

/** Requests of one host, and its rate limiter's state (absent for a host the limiter never saw). */
export const HostStatsSchema = Type.Object({
  requests: Type.Integer(),
  bytes: Type.Number(),
  /** Requests/second the host is paced at now (at the run's end, for a finished run). */
  rate: Type.Optional(Type.Number()),
  /** The most it goes up to (`rate_per_host`, or its `max`). */
  maxRate: Type.Optional(Type.Number()),
  /** 429 and 503 responses seen. */
  throttled: Type.Optional(Type.Integer()),
  /** Milliseconds the host was blocked by `Retry-After` waits. */
  blockedMs: Type.Optional(Type.Integer()),
});
export type HostStats = Static<typeof HostStatsSchema>;

/** What one proxy did in a run (named `scheme://host:port` by its key, never with credentials). */
export const ProxyStatsSchema = Type.Object({
  /** Attempts sent through it. */
  requests: Type.Integer(),
  /** Failed attempts through it, by reason (`proxy_refused`, `http_403`, …). */
  failures: Type.Record(Type.String(), Type.Integer()),
  /** Why it was retired (its last failure); absent while it is in use. */
  retired: Type.Optional(Type.String()),
});
export type ProxyStats = Static<typeof ProxyStatsSchema>;

/** A run's fetch statistics (empty until its first request). */
export const RunStatsSchema = Type.Partial(
  Type.Object({
    requests: Type.Integer(),
    bytes: Type.Number(),
    retries: Type.Integer(),
    /** Pages answered 304 and reused from the last run (`cache: revalidate`). */
    notModified: Type.Integer(),
    statusCodes: Type.Record(Type.String(), Type.Integer()),
    reasons: Type.Record(Type.String(), Type.Integer()),
    latencyMs: Type.Object({ p50: Type.Number(), p95: Type.Number(), max: Type.Number() }),
    pagesPerSecond: Type.Number(),
    /** Seconds spent running (pauses excluded), over all sessions of the run. */
    runningSeconds: Type.Number(),
    hosts: Type.Record(Type.String(), HostStatsSchema),
    /** Per proxy, for a scraper with `proxy:` or `proxies:`. */
    proxies: Type.Record(Type.String(), ProxyStatsSchema),
    /** CPU time the resource governor charged the run, over all its sessions (docs/limits.md). */
    cpuSeconds: Type.Number(),
  }),
);
export type RunStats = Static<typeof RunStatsSchema>;

/** Failed requests of one reason code, with one of their URLs. */
export const FailureGroupSchema = Type.Object({
  reason: Type.String(),
  count: Type.Integer(),
  example: Type.String(),
});
export type FailureGroup = Static<typeof FailureGroupSchema>;

/** What one selector of a page type matched over a run's pages of that type. */
export const SelectorCountSchema = Type.Object({
  /** `each`: a `records.each`; `field`: a field read by a selector; `follow`: a follow rule. */
  kind: Type.Enum(SELECTOR_KINDS),
  /** The field's name; `each`; the page type the follow rule leads to. */
  name: Type.String(),
  /** The CSS selector, XPath or JSONPath expression; a follow rule's pattern as `/regex/`. */
  selector: Type.String(),
  /** Pages on which it matched (an element for `each`, a value for a field, a link for a rule). */
  pages: Type.Integer(),
  /** What it found over those pages: elements (`each`), records with a value (field), links (follow). */
  found: Type.Integer(),
});
export type SelectorCount = Static<typeof SelectorCountSchema>;

/**
 * Selector health of one page type: its pages parsed, the records they yielded, and what each of
 * its selectors matched. Counted as pages are parsed and kept with the run's statistics.
 */
export const PageTypeHealthSchema = Type.Object({
  pageType: Type.String(),
  pages: Type.Integer(),
  records: Type.Integer(),
  selectors: Type.Array(SelectorCountSchema),
});
export type PageTypeHealth = Static<typeof PageTypeHealthSchema>;

/** A run as commands and the API report it (`trawl run --json`, `trawl show`, GET /api/runs/:id). */
export const RunSummarySchema = Type.Object({
  id: Type.String({ description: "RUN-YYYYMMDD-XXXXXX" }),
  status: RunStatusSchema,
  /** The commands that will work in this state, and only those (the app shows these buttons). */
  controls: Type.Array(RunControlSchema),
  scraper: Type.String(),
  /** Path of the definition file the run was started from. */
  source: Nullable(Type.String()),
  createdAt: Instant,
  startedAt: Nullable(Instant),
  finishedAt: Nullable(Instant),
  error: Nullable(Type.String()),
  pauseReason: Nullable(Type.String()),
  /** Records of the run's final stage (after every post-crawl step that ran). */
  records: Type.Integer(),
  pages: Type.Object({ done: Type.Integer(), failed: Type.Integer(), pending: Type.Integer() }),
  targets: Type.Array(TargetProgressSchema),
  steps: Type.Array(RunStepSchema),
  errors: Type.Array(FailureGroupSchema),
  stats: RunStatsSchema,
  /** Selector health per page type that had pages parsed, in the definition's order. */
  selectors: Type.Array(PageTypeHealthSchema),
  dataset: Nullable(Type.Object({ name: Type.String(), version: Type.Integer() })),
  /** Recorded for offline replay (`trawl run --record`, `record: true`). */
  recorded: Type.Boolean(),
});
export type RunSummary = Static<typeof RunSummarySchema>;

/** A page of runs, newest first; `next` is the id to pass as `before` for the next page. */
export const RunPageSchema = Type.Object({
  runs: Type.Array(RunSummarySchema),
  next: Nullable(Type.String()),
});
export type RunPage = Static<typeof RunPageSchema>;
