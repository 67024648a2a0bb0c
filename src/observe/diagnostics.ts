/**
 * The diagnostics bundle (issue 16, item 4; docs/diagnostics.md): one zip to attach to a bug
 * report, holding the system, the configuration, the last log lines, the database's schema,
 * migrations and integrity, the metrics, the recent runs and their errors, the scheduler's state
 * and crash reports, each redacted ({@link Redactor}), with a redaction report and a manifest.
 * A section that cannot be read is listed as `failed` or `not available`: the bundle is still made.
 */
import type { Writable } from "node:stream";
import { describeError, TRAWL_VERSION } from "../core/index.ts";
import type { IntegrityCheckKind, Store } from "../store/index.ts";
import { databaseSection, runsSection, schemaSql, systemSection } from "./diagnostics-sections.ts";
import { ZipWriter } from "./diagnostics-zip.ts";
import { listCrashReports, readCrashReport } from "./crash-report.ts";
import { readLastLogLines } from "./log-files.ts";
import { Redactor, type KnownValues, type RedactionReport } from "./redact.ts";

/** Log lines the bundle holds at most. */
export const BUNDLE_LOG_LINES = 10_000;
/** Runs the bundle describes at most (the newest). */
export const BUNDLE_RUNS = 50;

/** What a bundle is made from: the store and what the layers above know (metrics, schedules, secrets). */
export interface DiagnosticsSources {
  /** The data directory. */
  home: string;
  store: Store;
  /** The process configuration (`trawlConfig()`): fields named like secrets are removed. */
  config: object;
  /** The metrics in the Prometheus text format. */
  metrics(): Promise<string>;
  /** The scheduler's state: schedules with their next and last fires, scheduler processes. */
  scheduler(): Promise<unknown>;
  /** Values removed wherever they appear: the vault's secrets, the access token. */
  known: readonly KnownValues[];
  /** What the redaction could not do (shown in its report). */
  redactionNotes?: readonly string[];
  /** The last `count` lines of the process logs, oldest first. @defaultValue those of `home/logs` */
  logLines?(count: number): Promise<readonly string[]>;
  /** @defaultValue `full` (`integrity_check`: about 0.5 s at a million records; `quick` skips the indexes) */
  integrityCheck?: IntegrityCheckKind;
  /** @defaultValue `Date.now` */
  now?: () => number;
}

/** One section of the bundle, as the manifest lists it. */
export interface BundleSection {
  name: string;
  /** Files in the zip. */
  files: string[];
  status: "ok" | "not available" | "failed";
  /** Why a section is not available or failed, or what it holds. */
  note?: string;
  ms: number;
}

/** What was written: the manifest's sections, the redaction report, the zip's size. */
export interface DiagnosticsSummary {
  createdAt: string;
  sections: BundleSection[];
  redaction: RedactionReport;
  bytes: number;
}

type SectionFiles = { files: Record<string, string>; note?: string } | { unavailable: string };

/** Reads one section, redacted; a failure becomes a `failed` section with its (redacted) reason. */
async function section(
  zip: ZipWriter,
  redactor: Redactor,
  name: string,
  read: () => Promise<SectionFiles>,
): Promise<BundleSection> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const result = await read();
    if ("unavailable" in result)
      return { name, files: [], status: "not available", note: result.unavailable, ms: ms() };
    for (const [file, content] of Object.entries(result.files)) await zip.add(file, content);
    return {
      name,
      files: Object.keys(result.files),
      status: "ok",
      ...(result.note !== undefined && { note: result.note }),
      ms: ms(),
    };
  } catch (error) {
    return { name, files: [], status: "failed", note: redactor.text(describeError(error)), ms: ms() };
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The sections in the order they are written, each a reader of its files. */
function sectionReaders(sources: DiagnosticsSources, redactor: Redactor, check: IntegrityCheckKind) {
  const redacted = (value: unknown) => json(redactor.json(value));
  return {
    system: async () => ({ files: { "system.json": redacted(await systemSection(sources.home)) } }),
    config: async () => ({ files: { "config.json": redacted(sources.config) } }),
    logs: async () => {
      const lines = sources.logLines
        ? await sources.logLines(BUNDLE_LOG_LINES)
        : readLastLogLines(sources.home, BUNDLE_LOG_LINES);
      const text = lines.map((line) => redactor.line(line)).join("\n");
      return {
        files: { "logs/process.log": lines.length > 0 ? `${text}\n` : "" },
        note: `${lines.length} lines`,
      };
    },
    database: async () => {
      const { schema, state } = await databaseSection(sources.store, check);
      return {
        files: { "database/schema.sql": schemaSql(schema), "database/state.json": redacted(state) },
        note: `${state.integrity.check}: ${state.integrity.ok ? "ok" : "problems found"}`,
      };
    },
    metrics: async () => ({ files: { "metrics.txt": redactor.text(await sources.metrics()) } }),
    runs: async () => {
      const runs = await runsSection(sources.store, BUNDLE_RUNS);
      return { files: { "runs.json": redacted(runs) }, note: `the newest ${runs.length} runs` };
    },
    scheduler: async () => ({ files: { "scheduler.json": redacted(await sources.scheduler()) } }),
    crashes: async () => {
      const files: Record<string, string> = {};
      for (const { id } of listCrashReports(sources.home)) {
        const report = readCrashReport(sources.home, id);
        if (!report) continue;
        // Its log lines are JSON lines of their own: redacted as such.
        const logLines = report.logLines.map((line) => redactor.line(line));
        files[`crashes/${id}.json`] = redacted({ ...report, logLines });
      }
      return { files, note: `${Object.keys(files).length} crash reports` };
    },
  } satisfies Record<string, () => Promise<SectionFiles>>;
}

/**
 * Writes the bundle to `out` as a zip (left open: the caller ends it) and resolves to what it
 * holds. Rejects with `TRAWL_ERR_OBSERVE_BUNDLE` only when the zip cannot be written.
 */
export async function writeDiagnosticsBundle(
  sources: DiagnosticsSources,
  out: Writable,
): Promise<DiagnosticsSummary> {
  const createdAt = new Date((sources.now ?? Date.now)()).toISOString();
  const redactor = new Redactor(sources.known);
  for (const note of sources.redactionNotes ?? []) redactor.note(note);
  const zip = new ZipWriter(out, new Date(createdAt));
  const check = sources.integrityCheck ?? "full";
  const sections: BundleSection[] = [];
  for (const [name, read] of Object.entries(sectionReaders(sources, redactor, check)))
    sections.push(await section(zip, redactor, name, read));
  const redaction = redactor.report();
  await zip.add("redaction.json", json(redaction));
  sections.push({ name: "redaction", files: ["redaction.json"], status: "ok", ms: 0 });
  const manifest = {
    bundle: "trawl diagnostics",
    format: 1,
    createdAt,
    trawlVersion: TRAWL_VERSION,
    integrityCheck: check === "quick" ? "quick_check" : "integrity_check",
    sections,
  };
  await zip.add("manifest.json", json(manifest));
  await zip.end();
  return { createdAt, sections, redaction, bytes: zip.bytes };
}
