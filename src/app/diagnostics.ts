/**
 * The diagnostics bundle of an app (`trawl diagnostics`, `POST /api/diagnostics`): what the layers
 * above the observe layer know, handed to `writeDiagnosticsBundle`: the vault's secret values and
 * the access token (to remove them), the scheduler's state with next and last fires, the metrics.
 * Each export is recorded in the audit log as `diagnostics.exported`. docs/diagnostics.md.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { describeError, trawlConfig } from "../core/index.ts";
import {
  TrawlMetrics,
  writeDiagnosticsBundle,
  type DiagnosticsSummary,
  type KnownValues,
} from "../observe/index.ts";
import { schedulerStatus, upcomingOf, viewOccurrence, viewSchedule } from "../scheduler/index.ts";
import type { IntegrityCheckKind } from "../store/index.ts";
import type { App } from "./app.ts";

/** How to make a bundle. */
export interface DiagnosticsOptions {
  /** The metrics of this process (`trawl serve`); none: a fresh registry over the store. */
  metrics?: TrawlMetrics;
  /** @defaultValue `full` (see `DiagnosticsSources.integrityCheck`) */
  integrityCheck?: IntegrityCheckKind;
  /** Named in the audit entry: the file written (CLI) or `download` (API). */
  destination: string;
}

/** The bundle's default file name: `trawl-diagnostics-20261206-084512.zip` (UTC). */
export function diagnosticsFileName(now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `trawl-diagnostics-${stamp}.zip`;
}

/** Upcoming fires and past fires listed per schedule. */
const FIRES = 5;

/** Writes `app`'s diagnostics bundle to `out` (left open), then records the export in the audit log. */
export async function exportDiagnostics(
  app: App,
  out: Writable,
  options: DiagnosticsOptions,
): Promise<DiagnosticsSummary> {
  const { known, notes } = await knownValues(app);
  const fresh = options.metrics
    ? undefined
    : new TrawlMetrics({ store: app.store, now: () => app.clock.now() });
  try {
    const summary = await writeDiagnosticsBundle(
      {
        home: app.paths.home,
        store: app.store,
        config: { ...trawlConfig(), home: app.paths.home },
        metrics: () => (options.metrics ?? fresh!).render(),
        scheduler: () => schedulerState(app),
        known,
        redactionNotes: notes,
        integrityCheck: options.integrityCheck ?? "full",
        now: () => app.clock.now(),
      },
      out,
    );
    await app.audit.append({
      actor: app.actor,
      action: "diagnostics.exported",
      subject: options.destination,
      details: {
        sections: summary.sections.filter((s) => s.status === "ok").length,
        redactions: summary.redaction.total,
        bytes: summary.bytes,
      },
    });
    return summary;
  } finally {
    fresh?.close();
  }
}

/** The values to remove wherever they appear: every secret of the vault, the master key, the access token. */
async function knownValues(app: App): Promise<{ known: KnownValues[]; notes: string[] }> {
  const notes: string[] = [];
  const secrets: string[] = [];
  const masterKey = trawlConfig().masterKey;
  if (masterKey !== undefined) secrets.push(masterKey);
  try {
    const names = (await app.secrets.list()).map((secret) => secret.name);
    // Decrypted here only to be searched for; nothing records this read (no run uses them).
    const values = await app.secrets.forRun(names);
    for (const name of names) {
      const value = values.get(name);
      if (value !== undefined) secrets.push(value);
    }
  } catch (error) {
    notes.push(
      `the secrets vault could not be opened (${describeError(error).split(":")[0]}): its values were not ` +
        `searched for; the patterns (headers, URL passwords and tokens, secret-named fields) still applied`,
    );
  }
  const token = existsSync(app.paths.accessToken) ? readFileSync(app.paths.accessToken, "utf8").trim() : "";
  return {
    known: [
      { kind: "secret-value", values: secrets },
      { kind: "access-token", values: token === "" ? [] : [token] },
    ],
    notes,
  };
}

/** Every schedule with its next and last fires, the live scheduler processes and the leader's lease. */
async function schedulerState(app: App) {
  const now = app.clock.now();
  const schedules = await app.store.schedules.list();
  const leader = await app.store.schedules.leader();
  return {
    schedules: await Promise.all(
      schedules.map(async (schedule) => ({
        ...viewSchedule(schedule, now),
        nextFires: upcomingOf(schedule, now, FIRES),
        lastFires: (await app.store.schedules.occurrences({ scheduleId: schedule.id, limit: FIRES })).map(
          viewOccurrence,
        ),
      })),
    ),
    processes: await schedulerStatus(app.store.schedules, now),
    leader: leader && { owner: leader.owner, expiresAt: new Date(leader.expiresAt).toISOString() },
  };
}
