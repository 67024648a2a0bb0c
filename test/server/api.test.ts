import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serve, until } from "./helpers.ts";

describe("runs API", () => {
  it("starts a run from a definition file, lists it, and serves its summary, records and logs", async () => {
    const f = await serve();
    const started = await f.api("POST", "/api/runs", { file: f.scraperFile });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ id: expect.stringMatching(/^RUN-/), scraper: "tiny" });
    const id = started.json.id as string;
    await until(
      async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded",
      "the run to succeed",
    );
    const summary = (await f.api("GET", `/api/runs/${id}`)).json;
    expect(summary).toMatchObject({ records: 3, pages: { done: 3, failed: 0 } });
    expect(summary.targets.map((t: { name: string }) => t.name)).toEqual(["a", "b", "c"]);

    const records = await f.api("GET", `/api/runs/${id}/records?limit=2&offset=1`);
    expect(records.json).toMatchObject({ stage: 0, offset: 1, total: 3 });
    expect(records.json.records).toHaveLength(2);
    const logs = await f.api("GET", `/api/runs/${id}/logs`);
    expect(logs.status).toBe(200);
    expect(Array.isArray(logs.json.logs)).toBe(true);

    const list = await f.api("GET", "/api/runs?scraper=tiny");
    expect(list.json.runs.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(list.json.next).toBeNull();
  });

  it("pages through runs newest first", async () => {
    const f = await serve();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id);
    // Ids sort by creation time (to the tenth of a second; a random tie-breaker below that).
    const newestFirst = [...ids].sort().reverse();
    const first = await f.api("GET", "/api/runs?limit=2");
    expect(first.json.runs.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(0, 2));
    const second = await f.api("GET", `/api/runs?limit=2&before=${first.json.next}`);
    expect(second.json.runs.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(2));
    expect(second.json.next).toBeNull();
  });

  it("pauses, resumes, stops, cancels and refuses what the state forbids with 409", async () => {
    const f = await serve({ hold: true });
    const id = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    await until(
      () => f.site.hits("/slow?n=0") + f.site.hits("/slow?n=1") + f.site.hits("/slow?n=2") > 0,
      "a request",
    );
    expect((await f.api("POST", `/api/runs/${id}/pause`)).status).toBe(200);
    f.release();
    await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "paused", "paused");
    expect((await f.api("POST", `/api/runs/${id}/resume`)).status).toBe(200);
    await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded", "succeeded");
    const refused = await f.api("POST", `/api/runs/${id}/pause`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      statusCode: 409,
      code: expect.stringMatching(/^TRAWL_ERR_/),
      error: "Conflict",
    });

    const second = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    await until(async () => (await f.api("GET", `/api/runs/${second}`)).json.status === "running", "running");
    expect((await f.api("POST", `/api/runs/${second}/stop`)).status).toBe(200);
    await until(async () => (await f.app.store.runs.get(second))?.owner === null, "stopped");
    expect((await f.api("GET", `/api/runs/${second}`)).json.status).toMatch(/paused|succeeded/);

    f.hold();
    const third = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
    await until(async () => (await f.api("GET", `/api/runs/${third}`)).json.status === "running", "running");
    expect((await f.api("POST", `/api/runs/${third}/cancel`)).status).toBe(200);
    await until(
      async () => (await f.api("GET", `/api/runs/${third}`)).json.status === "cancelled",
      "cancelled",
    );
  });

  it("answers errors as { statusCode, code, error, message }", async () => {
    const f = await serve();
    expect((await f.api("GET", "/api/runs/RUN-20260101-000000")).json).toEqual({
      statusCode: 404,
      code: "TRAWL_ERR_ENGINE_RUN_NOT_FOUND",
      error: "Not Found",
      message: "no run RUN-20260101-000000",
    });
    expect((await f.api("POST", "/api/runs", {})).json).toMatchObject({
      statusCode: 400,
      code: "TRAWL_ERR_HTTP_VALIDATION",
    });
    // Only definitions right inside the scraper folders: a request may not run any file on disk.
    for (const file of ["/nowhere/x.yaml", join(f.dir, "..", "x.yaml"), join(f.dir, "sub", "x.yaml")]) {
      expect((await f.api("POST", "/api/runs", { file })).json, file).toMatchObject({
        statusCode: 404,
        code: "TRAWL_ERR_HTTP_SCRAPER_NOT_FOUND",
      });
      const schedule = await f.api("POST", "/api/schedules", { file, every: "1h" });
      expect(schedule.json, file).toMatchObject({ code: "TRAWL_ERR_HTTP_SCRAPER_NOT_FOUND" });
    }
    expect((await f.api("POST", "/api/runs", { file: join(f.dir, "missing.yaml") })).json).toMatchObject({
      statusCode: 400,
      code: "TRAWL_ERR_PIPELINE_LOAD",
    });
    // Bad start data: refused before the run exists.
    const fromNowhere = join(f.dir, "from-nowhere.yaml");
    writeFileSync(
      fromNowhere,
      "name: from-nowhere\nstart: { dataset: nowhere }\npages:\n  p: { record: { t: h1 } }\n",
    );
    expect((await f.api("POST", "/api/runs", { file: fromNowhere })).json).toMatchObject({
      statusCode: 400,
      code: "TRAWL_ERR_APP_START_DATASET",
      message: expect.stringContaining("start dataset nowhere: no such dataset"),
    });
    expect(await f.app.store.runs.list({ scraper: "from-nowhere" })).toEqual([]);
    expect((await f.api("GET", "/api/nothing-here")).json).toMatchObject({
      statusCode: 404,
      code: "TRAWL_ERR_HTTP_NOT_FOUND",
    });
  });
});

describe("schedules API", () => {
  it("creates, previews, edits, pauses, resumes, runs now and deletes schedules", async () => {
    const f = await serve();
    const preview = await f.api("POST", "/api/schedules/preview", {
      cron: "30 2 * * *",
      tz: "Europe/Berlin",
      from: "2026-03-28T12:00Z",
      count: 2,
    });
    expect(preview.json).toEqual({
      zone: "Europe/Berlin",
      next: ["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"],
    });
    const bad = await f.api("POST", "/api/schedules", { file: f.scraperFile, cron: "0 0 30 2 *" });
    expect(bad.json).toMatchObject({ statusCode: 400, code: "TRAWL_ERR_SCHEDULE_NEVER" });

    const created = await f.api("POST", "/api/schedules", {
      file: f.scraperFile,
      daily: "06:30",
      tz: "UTC",
      retries: 1,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ scraper: "tiny", when: "daily 06:30", zone: "UTC", retries: 1 });
    const id = created.json.id as string;
    const edited = await f.api("PATCH", `/api/schedules/${id}`, {
      weekly: "mon,thu@09:00",
      catchUp: "latest",
    });
    expect(edited.json).toMatchObject({ when: "weekly mon,thu@09:00", catchUp: "latest" });
    expect((await f.api("POST", `/api/schedules/${id}/pause`, { reason: "holiday" })).json).toMatchObject({
      status: "paused",
      pausedReason: "holiday",
      next: null,
    });
    expect((await f.api("POST", `/api/schedules/${id}/resume`)).json).toMatchObject({ status: "active" });
    expect((await f.api("GET", "/api/schedules")).json.schedules).toHaveLength(1);

    // The server's own scheduler leads (nobody else does) and starts the manual run.
    expect((await f.api("POST", `/api/schedules/${id}/run-now`)).status).toBe(202);
    await until(async () => {
      const history = (await f.api("GET", `/api/schedules/${id}/history`)).json.history;
      return history[0]?.status === "succeeded";
    }, "the manual run");
    const shown = (await f.api("GET", `/api/schedules/${id}`)).json;
    expect(shown.upcoming).toHaveLength(5);
    expect(shown.history[0]).toMatchObject({
      kind: "manual",
      status: "succeeded",
      run: expect.stringMatching(/^RUN-/),
    });
    const status = (await f.api("GET", "/api/scheduler")).json;
    expect(status).toMatchObject({
      running: true,
      schedulers: [expect.objectContaining({ leader: true, pid: process.pid })],
    });

    expect((await f.api("DELETE", `/api/schedules/${id}`)).status).toBe(204);
    expect((await f.api("GET", `/api/schedules/${id}`)).status).toBe(404);
  });
});

describe("the rest", () => {
  it("reports health and documents every route in OpenAPI", async () => {
    const f = await serve();
    const health = await f.api("GET", "/api/health");
    expect(health.json).toMatchObject({
      status: "ok",
      engine: { activeRuns: [] },
      scheduler: { running: true },
    });
    expect(health.json.machine.cpus).toBeGreaterThan(0);
    const spec = (await f.api("GET", "/api/openapi.json")).json;
    expect(Object.keys(spec.paths).sort()).toEqual(
      [
        "/api/activity",
        "/api/audit",
        "/api/audit/verify",
        "/api/compare",
        "/api/crashes",
        "/api/crashes/{id}",
        "/api/diagnostics",
        "/api/logs",
        "/api/runs/{id}/resources",
        "/api/datasets",
        "/api/datasets/{name}/verify",
        "/api/datasets/{name}/versions/{version}/download",
        "/api/datasets/{name}/versions/{version}/records",
        "/api/events",
        "/api/errors",
        "/api/health",
        "/api/health/samples",
        "/api/runs/{id}/changes",
        "/api/runs/{id}/captures",
        "/api/runs/{id}/captures/{captureId}/body",
        "/api/runs/{id}/source",
        "/api/runs/{id}/recording.har",
        "/api/runs/{id}/recording.warc",
        "/api/scrapers",
        "/api/scrapers/definition",
        "/api/secrets",
        "/api/secrets/{name}",
        "/api/security/lock",
        "/api/security/status",
        "/api/security/unlock",
        "/api/sessions",
        "/api/sessions/{scraper}",
        "/api/workers",
        "/api/runs",
        "/api/runs/{id}",
        "/api/runs/{id}/cancel",
        "/api/runs/{id}/logs",
        "/api/runs/{id}/pause",
        "/api/runs/{id}/records",
        "/api/runs/{id}/records.csv",
        "/api/runs/{id}/records.json",
        "/api/runs/{id}/records.jsonl",
        "/api/runs/{id}/resume",
        "/api/runs/{id}/stop",
        "/api/scheduler",
        "/api/schedules",
        "/api/schedules/preview",
        "/api/schedules/{id}",
        "/api/schedules/{id}/history",
        "/api/schedules/{id}/pause",
        "/api/schedules/{id}/resume",
        "/api/schedules/{id}/run-now",
      ].sort(),
    );
    const docs = await f.api("GET", "/api/docs/");
    expect(docs.status).toBe(200);
  });

  it("documents the response of every operation, so the app's types follow the server's", async () => {
    const f = await serve();
    const spec = (await f.api("GET", "/api/openapi.json")).json as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    const undocumented = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => {
          const success = Object.entries(operation.responses).filter(([code]) => code.startsWith("2"));
          // A 204 has no body to describe; anything else names its content.
          return !success.some(([code, response]) => code === "204" || response.content !== undefined);
        })
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undocumented).toEqual([]);
  });
});
