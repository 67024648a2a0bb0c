/**
 * GET /api/workers (issue 17, item 7): the server's own process is listed while it executes a run
 * (and stays, idle, after); a report silent for a few seconds is stale, one silent for a minute is
 * forgotten. Real store, real server, real fixture site.
 */
import { expect, it } from "vitest";
import type { Fleet } from "../../src/core/contract/workers.ts";
import type { WorkerReport } from "../../src/store/index.ts";
import { serve, until } from "./helpers.ts";

it("lists the processes executing runs: this server while its run is held, stale and forgotten ones", async () => {
  const f = await serve({ hold: true });
  expect((await f.api("GET", "/api/workers")).json).toEqual({ workers: [], staleAfterSeconds: 5 });

  const announced: Fleet[] = [];
  const unsubscribe = f.server.hub.subscribe(
    ({ event }) => event.type === "fleet.updated" && announced.push(event.fleet),
  );
  const id = (await f.api("POST", "/api/runs", { file: f.scraperFile })).json.id as string;
  let fleet: Fleet = { workers: [], staleAfterSeconds: 0 };
  await until(async () => {
    fleet = (await f.api("GET", "/api/workers")).json as Fleet;
    return fleet.workers.some((w) => w.runs.includes(id));
  }, "the server to report its run");
  expect(fleet.workers).toEqual([
    {
      id: f.app.engine.owner,
      host: f.app.engine.owner.split(":")[0],
      pid: process.pid,
      kind: expect.any(String),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      heartbeatAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      stale: false,
      runs: [id],
      leases: expect.any(Number),
      pagesPerSecond: 0, // every page is held
      concurrency: expect.any(Number),
    },
  ]);

  // The event stream announced it too (the server reads the fleet every second).
  await until(async () => announced.some((f) => f.workers.some((w) => w.runs.includes(id))), "fleet.updated");
  unsubscribe();

  // Reports of processes on other machines: one silent for 10 s (stale), one for 2 minutes (gone).
  const now = Date.now();
  const other = (worker: string, silentMs: number): WorkerReport => ({
    id: worker,
    host: "elsewhere",
    pid: 7,
    kind: "worker",
    startedAt: now - 600_000,
    heartbeatAt: now - silentMs,
    runs: [id],
    leases: 3,
    pagesPerSecond: 1.5,
    concurrency: 4,
  });
  await f.app.store.workers.report(other("elsewhere:7:a", 10_000));
  await f.app.store.workers.report(other("elsewhere:8:b", 120_000));
  fleet = (await f.api("GET", "/api/workers")).json as Fleet;
  expect(fleet.workers.map((w) => [w.id, w.stale])).toEqual([
    [f.app.engine.owner, false],
    ["elsewhere:7:a", true],
  ]);
  expect(await f.app.store.workers.list()).toHaveLength(2); // the silent one was pruned

  f.release();
  await until(async () => (await f.api("GET", `/api/runs/${id}`)).json.status === "succeeded", "the run");
  await until(async () => {
    const workers = ((await f.api("GET", "/api/workers")).json as Fleet).workers;
    return workers.find((w) => w.id === f.app.engine.owner)?.runs.length === 0;
  }, "the server to report itself idle");
});
