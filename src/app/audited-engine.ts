/**
 * The engine as the app hands it out: every run command a person or a schedule gives (start,
 * pause, resume, stop, cancel) is appended to the audit log once the engine has carried it out.
 * Commands the engine refuses (a finished run, an unknown id) leave no entry.
 */
import type { CompiledScraper } from "../pipeline/index.ts";
import type { AuditActor, AuditAction, AuditLog } from "../security/index.ts";
import type { RunRecord } from "../store/index.ts";
import { Engine, type StartOptions } from "../engine/index.ts";

type EngineOptions = ConstructorParameters<typeof Engine>[0];

/**
 * An {@link Engine} that records run commands in the audit log. Each command takes an optional
 * `actor`: who gave it. @defaultValue the app's actor (`cli`, or `api` in `trawl serve`)
 */
export class AuditedEngine extends Engine {
  constructor(
    options: EngineOptions,
    private readonly audit: AuditLog,
    private readonly defaultActor: () => AuditActor,
  ) {
    super(options);
  }

  /** Creates a queued run (audit: `run.started`, with the scraper's name). */
  override async create(
    scraper: CompiledScraper,
    options: StartOptions = {},
    actor: AuditActor = this.defaultActor(),
  ): Promise<RunRecord> {
    const run = await super.create(scraper, options);
    await this.record(actor, "run.started", run);
    return run;
  }

  /** Pauses a run (audit: `run.paused`). */
  override async pause(runId: string, actor: AuditActor = this.defaultActor()): Promise<RunRecord> {
    return this.record(actor, "run.paused", await super.pause(runId));
  }

  /** Resumes a run (audit: `run.resumed`). */
  override async resume(runId: string, actor: AuditActor = this.defaultActor()): Promise<RunRecord> {
    return this.record(actor, "run.resumed", await super.resume(runId));
  }

  /** Stops a run, resumable later (audit: `run.stopped`). */
  override async stop(runId: string, actor: AuditActor = this.defaultActor()): Promise<RunRecord> {
    return this.record(actor, "run.stopped", await super.stop(runId));
  }

  /** Cancels a run for good (audit: `run.cancelled`). */
  override async cancel(runId: string, actor: AuditActor = this.defaultActor()): Promise<RunRecord> {
    return this.record(actor, "run.cancelled", await super.cancel(runId));
  }

  /** Appends the entry of a command carried out on `run`; returns the run. */
  async record(actor: AuditActor, action: AuditAction, run: RunRecord): Promise<RunRecord> {
    await this.audit.append({ actor, action, subject: run.id, details: { scraper: run.scraper } });
    return run;
  }
}
