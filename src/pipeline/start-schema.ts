/**
 * Start URLs read from data (docs/scraper-format.md, "Targets and start URLs"): a file of the
 * definition's folder (`{ file, column }`) or a dataset of the data directory (`{ dataset, field }`).
 * The definition names them; the URLs are read when a run starts (see `start-file.ts` and the
 * app's start-data reader), never when it compiles.
 */
import { z } from "zod";
import type { RequestBody } from "../core/index.ts";
import { templatedUrlSchema, templateSchema } from "./template.ts";

/** A file name ending that is read as CSV, with the delimiter it uses. */
export const CSV_DELIMITERS: Readonly<Record<string, string>> = { ".csv": ",", ".tsv": "\t" };

const isCsvName = (file: string): boolean =>
  Object.keys(CSV_DELIMITERS).some((ext) => file.toLowerCase().endsWith(ext));

/**
 * `{ file: urls.csv, column: url }`: the column of a CSV (`.csv`, or tab-separated `.tsv`) with a
 * header line; `{ file: urls.txt }`: a text file of one URL per line (blank lines and `#` comments
 * skipped). The path is relative to the definition file.
 */
export const fileStartSchema = z
  .strictObject({
    file: z.string().min(1),
    /** The CSV column holding the URLs; needed for `.csv`/`.tsv`, absent for a list of lines. */
    column: z.string().min(1).optional(),
  })
  .refine((start) => start.column !== undefined || !isCsvName(start.file), {
    message: 'a CSV file needs "column": the name of the column holding the URLs',
    path: ["column"],
  });

/** `{ dataset: books, field: url }`: a field of the latest version of a dataset, when the run starts. */
export const datasetStartSchema = z.strictObject({
  dataset: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "expected a dataset name (letters, digits, '.', '_', '-')"),
  /** The record field holding the URLs. @defaultValue "url" */
  field: z.string().min(1).default("url"),
});

/** A follow rule's key for a JSON body, written on a start entry: what a start takes instead. */
function bodyJsonOnStart(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "unrecognized_keys" || issue.keys.join() !== "body_json") return undefined;
  const value = (issue.input as { body_json?: unknown } | undefined)?.body_json;
  return `a start entry's JSON body is "json" ("body_json" is a follow rule's): write json: ${JSON.stringify(value)}`;
}

/**
 * `{ url, method: POST, form: {…} }` or `{ url, method: POST, json: {…} }`: a start request that
 * POSTs a urlencoded form (a search form) or a JSON document (a JSON or GraphQL API); without
 * either, an empty form. Fetched over HTTP. The body is part of the request's identity.
 */
export const postStartSchema = z
  .strictObject(
    {
      url: templatedUrlSchema,
      method: z.literal("POST"),
      /** Form fields, sent urlencoded in this order (`{{ secret.NAME }}` allowed in values). */
      form: z.record(z.string(), z.union([templateSchema, z.number(), z.boolean()])).optional(),
      /** A JSON document, sent as `application/json`. */
      json: z.json().optional(),
    },
    { error: bodyJsonOnStart },
  )
  .refine((start) => start.form === undefined || start.json === undefined, {
    message: 'a POST sends "form" or "json", not both',
    path: ["json"],
  });

/** A POST start request, compiled. */
export interface StartPost {
  url: string;
  body: RequestBody;
}

/** A start source in the definition, compiled: what the run reads its start URLs from. */
export type StartSource =
  | {
      kind: "file";
      /** The file as the definition names it (messages show it). */
      file: string;
      /** Absolute path, resolved against the definition file's folder. */
      path: string;
      /** Absent: one URL per line. */
      column?: string;
      /** `,` or a tab for CSV; absent for a list of lines. */
      delimiter?: string;
    }
  | { kind: "dataset"; dataset: string; field: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * POST start requests are fetched over HTTP: the start page type (the first of `pages:`) must not
 * use the browser. Trusts nothing it reads (it runs even when other checks failed).
 */
export function checkPostStarts(def: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const pages = isObject(def.pages) ? def.pages : {};
  const [startName, startPage] = Object.entries(pages)[0] ?? [];
  const engine = (isObject(startPage) ? startPage.engine : undefined) ?? def.engine ?? "http";
  if (engine !== "browser") return;
  const starts: [PropertyKey[], unknown][] = [[["start"], def.start]];
  asList(def.targets).forEach((target, i) =>
    starts.push([["targets", i, "start"], isObject(target) ? target.start : undefined]),
  );
  for (const [path, start] of starts) {
    asList(start).forEach((entry, i) => {
      if (!isObject(entry) || entry.method !== "POST") return;
      const message = `a POST start request is fetched over HTTP, but the start page type "${String(startName)}" uses the browser`;
      ctx.addIssue({ code: "custom", path: Array.isArray(start) ? [...path, i] : path, message });
    });
  }
}
