/** Errors of the pipeline layer: loading and validating scraper definitions. */
import { defineErrors, errorFactory, TrawlError, UsageError } from "../core/index.ts";
import type { TrawlErrorOptions } from "../core/index.ts";

/** Every code the pipeline raises, with its message shape, kind and HTTP status. */
export const PIPELINE_ERRORS = defineErrors({
  TRAWL_ERR_PIPELINE_DEFINITION: {
    kind: "usage",
    message: "{file}:{line}:{column} {path}: {problem} (and {more} more problem(s))",
  },
  TRAWL_ERR_PIPELINE_LOAD: { kind: "usage", message: "{file}: cannot read the definition file" },
  TRAWL_ERR_PIPELINE_PARSE_HOOK: {
    kind: "failed",
    message: 'parse hook returned a link to unknown page type "{page}"',
  },
  TRAWL_ERR_PIPELINE_START_DATA: {
    kind: "usage",
    message: "{file}:{line}: {problem}",
  },
  TRAWL_ERR_PIPELINE_STEP_KIND: { kind: "failed", message: 'step kind "{kind}" is {problem}' },
  TRAWL_ERR_PIPELINE_TOO_MANY_DROPPED: {
    kind: "failed",
    message:
      "dropped {share} as invalid, more than max_dropped allows ({allowed}); did the pages change shape?",
  },
});

/** Makes an error of {@link PIPELINE_ERRORS}. */
export const pipelineError = errorFactory(PIPELINE_ERRORS);

/** One thing wrong with a definition, located as precisely as the source allows. */
export interface DefinitionProblem {
  /** The definition file, as given (or `<definition>` for in-memory definitions). */
  file: string;
  /** 1-based; 0 when the source has no positions (a TypeScript object). */
  line: number;
  /** 1-based; 0 when the source has no positions. */
  column: number;
  /** Dotted path of the offending field, e.g. `pages.product.record.price.type`; `""` for the root. */
  path: string;
  message: string;
}

/** Formats one problem as `file:line:column path: message` (position and path omitted when unknown). */
export function formatProblem(p: DefinitionProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return p.path === "" ? `${where}: ${p.message}` : `${where} ${p.path}: ${p.message}`;
}

/**
 * A scraper definition is invalid: YAML syntax, schema violations, unknown step kinds, bad
 * references between page types. Carries ALL problems found, not only the first.
 * Code `TRAWL_ERR_PIPELINE_DEFINITION`; exit code 2.
 */
export class DefinitionError extends UsageError {
  readonly problems: readonly DefinitionProblem[];

  constructor(problems: DefinitionProblem[], options: TrawlErrorOptions = {}) {
    const first = problems[0];
    const summary = first === undefined ? "invalid scraper definition" : formatProblem(first);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : "";
    super("TRAWL_ERR_PIPELINE_DEFINITION", `${summary}${more}`, {
      ...options,
      details: { ...options.details, problems },
    });
    this.problems = problems;
  }

  /** One line per problem: `examples/x.yaml:12:14 pages.product.record.price.type: …`. */
  format(): string {
    return this.problems.map(formatProblem).join("\n");
  }
}

/** A definition file could not be read or imported (missing file, a throwing module). */
export class DefinitionLoadError extends UsageError {
  constructor(file: string, message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_PIPELINE_LOAD", `${file}: ${message}`, {
      ...options,
      details: { file, ...options.details },
    });
  }
}

/** A TypeScript `parse` hook returned something unusable (e.g. a link to an unknown page type). */
export class ParseHookError extends TrawlError {
  constructor(message: string, options: TrawlErrorOptions = {}) {
    super("TRAWL_ERR_PIPELINE_PARSE_HOOK", message, options);
  }
}
