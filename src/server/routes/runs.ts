import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { loadScraper, requireRun, type App } from "../../app/index.ts";
import {
  RunPageSchema,
  RunStatusSchema,
  RunSummarySchema,
  type RunControl,
} from "../../core/contract/runs.ts";
import { describeError } from "../../core/index.ts";
import type { RunStatus } from "../../core/index.ts";
import { definitionInFolders } from "../scraper-folders.ts";
import { RunId } from "./run-id.ts";

const CONTROLS: readonly RunControl[] = ["pause", "resume", "stop", "cancel"];

/**
 * Runs: list (paged newest first), one run's summary, start one from a definition file, control
 * one (also when another process executes it; a stopped or interrupted run resumes here). Runs
 * started or resumed here go on in the background (see `App.launch`).
 */
export function runRoutes(
  server: FastifyInstance,
  app: App,
  folders: readonly string[],
  log: (message: string) => void,
): void {
  // A scraper that crashes fails its run, never the server.
  const onError: OnRunError = (runId) => (error) =>
    log(`run ${runId} ended with an error: ${describeError(error)}`);
  listRunsRoute(server, app);
  showRunRoute(server, app);
  startRunRoute(server, app, folders, onError);
  controlRunRoutes(server, app, onError);
}

/** What to do when the run `runId`, executing in the background, breaks. */
type OnRunError = (runId: string) => (error: unknown) => void;

/** GET /runs: runs newest first, a page at a time. */
function listRunsRoute(server: FastifyInstance, app: App): void {
  server.get(
    "/runs",
    {
      schema: {
        summary: "Runs, newest first; page with `before` (the last id of the previous page)",
        tags: ["runs"],
        querystring: Type.Object({
          scraper: Type.Optional(Type.String({ description: "the scraper's name, exactly" })),
          q: Type.Optional(Type.String({ description: "the scraper's name contains this, any case" })),
          status: Type.Optional(RunStatusSchema),
          from: Type.Optional(Type.String({ description: "created at or after (ISO 8601)" })),
          until: Type.Optional(Type.String({ description: "created before (ISO 8601)" })),
          before: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: { 200: RunPageSchema },
      },
    },
    async (request) => {
      const q = request.query as {
        scraper?: string;
        q?: string;
        status?: RunStatus;
        from?: string;
        until?: string;
        before?: string;
        limit?: number;
      };
      await app.engine.detectInterrupted();
      const limit = q.limit ?? 50;
      const runs = await app.store.runs.list({
        ...(q.scraper && { scraper: q.scraper }),
        ...(q.q?.trim() && { scraperContains: q.q.trim() }),
        ...(q.status && { statuses: [q.status] }),
        ...(q.before && { before: q.before }),
        ...(q.from && { createdFrom: Date.parse(q.from) }),
        ...(q.until && { createdUntil: Date.parse(q.until) }),
        limit: limit + 1,
      });
      const page = runs.slice(0, limit);
      return {
        runs: await Promise.all(page.map((run) => app.describe(run))),
        next: runs.length > limit ? page.at(-1)!.id : null,
      };
    },
  );
}

/** GET /runs/:id: one run's summary. */
function showRunRoute(server: FastifyInstance, app: App): void {
  server.get(
    "/runs/:id",
    {
      schema: {
        summary: "One run: targets, steps, errors by reason, stats",
        tags: ["runs"],
        params: RunId,
        response: { 200: RunSummarySchema },
      },
    },
    async (request) => app.describe(await requireRun(app.store, (request.params as { id: string }).id)),
  );
}

/** POST /runs: starts a run of a definition file in the background. */
function startRunRoute(
  server: FastifyInstance,
  app: App,
  folders: readonly string[],
  onError: OnRunError,
): void {
  server.post(
    "/runs",
    {
      schema: {
        summary: "Start a run of a definition file; it goes on when the browser closes",
        tags: ["runs"],
        body: Type.Object({
          file: Type.String({ description: "path of a .yaml/.yml/.ts/.js definition" }),
          record: Type.Optional(
            Type.Boolean({ description: "record responses, actions and screenshots for offline replay" }),
          ),
        }),
        response: { 202: RunSummarySchema },
      },
    },
    async (request, reply) => {
      const { file, record } = request.body as { file: string; record?: boolean };
      const scraper = await loadScraper(definitionInFolders(file, folders));
      const run = await app.engine.create(scraper, { record: record ?? false });
      await app.launch(run.id, scraper, onError(run.id));
      reply.code(202);
      return app.describe((await app.store.runs.get(run.id))!);
    },
  );
}

/** POST /runs/:id/pause, resume, stop, cancel. */
function controlRunRoutes(server: FastifyInstance, app: App, onError: OnRunError): void {
  for (const control of CONTROLS) {
    server.post(
      `/runs/:id/${control}`,
      {
        schema: {
          summary: `${control[0]!.toUpperCase()}${control.slice(1)} a run`,
          tags: ["runs"],
          params: RunId,
          response: { 200: RunSummarySchema },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        await requireRun(app.store, id);
        const run = control === "resume" ? await app.resume(id, onError(id)) : await app.engine[control](id);
        return app.describe(run);
      },
    );
  }
}
