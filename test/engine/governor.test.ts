/**
 * The resource governor on a real server: a run whose `parse` hook leaks memory is paused at its
 * `max_memory` while the server goes on serving; runs under a tight memory ceiling slow down,
 * wait to start, and all finish.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureMemory } from "node:vm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import type { GovernorOptions } from "../../src/engine/index.ts";
import { EventHub, startServer, type TrawlServer } from "../../src/server/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { parseMetrics } from "../observe/prometheus-text.ts";
import { bearer, request, until, type ApiResponse } from "../server/helpers.ts";

const MB = 1024 ** 2;

let dir: string;
let site: FaultSite;
/** While set, the site holds its answers until `openGate()`. */
let held: (() => void)[] | undefined;

function openGate(): void {
  const answers = held ?? [];
  held = undefined;
  for (const answer of answers) answer();
}
const opened: { app: App; server: TrawlServer }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-governor-"));
  // An endless binary tree of pages: /tree?n=k links to 2k+1 and 2k+2.
  site = await startFaultSite({
    routes: {
      "/tree": (req, res) => {
        const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? 0);
        const links = [2 * n + 1, 2 * n + 2].map((k) => `<a href="/tree?n=${k}">${k}</a>`).join("");
        const answer = () =>
          setTimeout(
            () => res.writeHead(200, { "content-type": "text/html" }).end(`<h1>Node ${n}</h1>${links}`),
            5,
          );
        if (held) held.push(answer);
        else answer();
      },
    },
  });
});

afterEach(async () => {
  for (const { app, server } of opened.splice(0)) {
    await server.close();
    await app.close();
  }
});

afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A server on its own data directory, with the governor's settings. */
async function serve(governor: GovernorOptions) {
  const app = await App.open({ home: mkdtempSync(join(dir, "home-")), governor });
  const server = await startServer({
    app,
    port: 0,
    hub: new EventHub(1000, 0),
    uiDir: null,
    healthSampleMs: 0,
    scraperFolders: [dir],
  });
  opened.push({ app, server });
  const api = (method: string, path: string, body?: unknown): Promise<ApiResponse> =>
    request(server.url, method, path, body, bearer(server));
  return { app, api };
}

/**
 * A TypeScript scraper whose `parse` hook keeps `megabytes` of every page it parses in the module,
 * for as long as the process lives: the leaking page parser.
 */
function leakyScraper(name: string, limits: string, megabytes = 1): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(
    file,
    `const kept: number[][] = [];
export default {
  name: "${name}",
  start: "${site.url}/tree?n=0",
  politeness: { robots: "ignore", rate_per_host: 1000, concurrency: 4 },
  limits: ${limits},
  pages: {
    node: {
      follow: [{ css: "a", page: "node" }],
      parse: (page: { url: string }) => {
        kept.push(new Array(${(megabytes * MB) / 8}).fill(kept.length));
        return [{ url: page.url }];
      },
    },
  },
};
`,
  );
  return file;
}

/** A TypeScript scraper whose `parse` hook spends 20 ms of CPU on every page. */
function busyScraper(name: string, limits: string): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(
    file,
    `export default {
  name: "${name}",
  start: "${site.url}/tree?n=0",
  politeness: { robots: "ignore", rate_per_host: 1000, concurrency: 2 },
  limits: ${limits},
  pages: {
    node: {
      follow: [{ css: "a", page: "node" }],
      parse: (page: { url: string }) => {
        const until = performance.now() + 20;
        let x = 0;
        while (performance.now() < until) x += Math.sqrt(x + 1);
        return [{ url: page.url, x }];
      },
    },
  },
};
`,
  );
  return file;
}

/** A small clean scraper: the tree's first three levels, seven pages. */
function cleanScraper(name: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      `start: "${site.url}/tree?n=0"`,
      "politeness: { robots: ignore, rate_per_host: 1000 }",
      "limits: { max_depth: 2 }",
      "pages:",
      "  node:",
      "    record: { title: h1 }",
      "    follow: [{ css: a, page: node }]",
      "",
    ].join("\n"),
  );
  return file;
}

type Api = Awaited<ReturnType<typeof serve>>["api"];

async function start(api: Api, file: string): Promise<{ id: string; status: string }> {
  const started = await api("POST", "/api/runs", { file });
  expect(started.status).toBe(202);
  return started.json;
}

async function runOf(api: Api, id: string) {
  return (await api("GET", `/api/runs/${id}`)).json;
}

async function untilStatus(api: Api, id: string, statuses: string[]) {
  await until(async () => statuses.includes((await runOf(api, id)).status), `${id} ${statuses.join("/")}`);
  return runOf(api, id);
}

describe("resource governor", () => {
  it("pauses a run whose parse hook leaks at max_memory; the server serves on, another run completes", async () => {
    const { app, api } = await serve({});
    const leaky = await start(api, leakyScraper("leaky", '{ max_memory: "32MB" }'));
    const paused = await untilStatus(api, leaky.id, ["paused", "failed", "succeeded"]);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "max_memory (32 MB)" });
    expect(paused.pages.done).toBeGreaterThanOrEqual(16);
    const logs = await app.store.logs.list(leaky.id);
    expect(
      logs.some((l) => l.level === "warn" && /limit max_memory \(32 MB\) reached \(\d+/.test(l.message)),
    ).toBe(true);

    const health = await api("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.json.governor).toMatchObject({ level: "ok", waiting: [], runs: [] });

    const clean = await start(api, cleanScraper("clean"));
    expect(await untilStatus(api, clean.id, ["succeeded", "failed", "paused"])).toMatchObject({
      status: "succeeded",
      records: 7,
    });

    // Resumable: it goes on from where it paused, and pauses again once it has leaked as much.
    expect((await api("POST", `/api/runs/${leaky.id}/resume`)).status).toBe(200);
    await until(async () => (await runOf(api, leaky.id)).pages.done > paused.pages.done, "progress");
    expect(await untilStatus(api, leaky.id, ["paused", "failed", "succeeded"])).toMatchObject({
      status: "paused",
      pauseReason: "max_memory (32 MB)",
    });
  });

  it("pauses a run at max_cpu and keeps its CPU time for the resume", async () => {
    const { app, api } = await serve({});
    const busy = await start(api, busyScraper("busy", '{ max_cpu: "400ms" }'));
    const paused = await untilStatus(api, busy.id, ["paused", "failed", "succeeded"]);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "max_cpu (400ms)" });
    expect(paused.pages.done).toBeGreaterThan(0);
    // Stored with its statistics: a resume counts on from there, as max_runtime does.
    const stored = (await app.store.runs.get(busy.id))!.stats as { cpuSeconds?: number };
    expect(stored.cpuSeconds).toBeGreaterThanOrEqual(0.4);
  });

  it("under a tight ceiling, running runs slow down but both finish, and a new run waits its turn", async () => {
    // The high mark 24 MB above what the process holds now (garbage of the earlier tests collected
    // first, so that freeing it does not offset the leaks): the two leaking runs cross it.
    await measureMemory({ execution: "eager" });
    const ceilingBytes = Math.round((process.memoryUsage.rss() + 24 * MB) / 0.9);
    const { app, api } = await serve({ ceilingBytes, sampleMs: 100 });
    // Both start before either leaks: the site holds their first pages until both run.
    held = [];
    const runs = [
      await start(api, leakyScraper("greedy-a", "{ max_pages: 60 }", 2)),
      await start(api, leakyScraper("greedy-b", "{ max_pages: 60 }", 2)),
    ];
    expect(runs.map((run) => run.status)).toEqual(["running", "running"]);
    openGate();
    const pressed = async (id: string) =>
      (await app.store.logs.list(id)).some((l) => l.message.startsWith("memory pressure ("));
    await until(async () => (await pressed(runs[0]!.id)) || (await pressed(runs[1]!.id)), "pressure");

    const late = await start(api, cleanScraper("late"));
    expect(late.status).toBe("queued");
    const { governor } = (await api("GET", "/api/health")).json;
    expect(governor.waiting).toEqual([late.id]);
    expect(governor.level).not.toBe("ok");
    // The two greedy runs still running, with what they are charged (no max_memory: none to compare).
    for (const usage of governor.runs) {
      expect(runs.map((run) => run.id)).toContain(usage.runId);
      expect(usage).toMatchObject({ maxMemoryBytes: null, maxCpuSeconds: null });
    }
    const metrics = parseMetrics((await api("GET", "/metrics")).json as string);
    expect(metrics.value("trawl_runs_waiting_for_memory")).toBe(1);
    expect(metrics.value("trawl_memory_pressure")).toBeGreaterThanOrEqual(1);
    expect(metrics.value("trawl_memory_ceiling_bytes")).toBe(ceilingBytes);

    for (const run of runs) {
      expect(await untilStatus(api, run.id, ["succeeded", "failed", "paused"])).toMatchObject({
        status: "succeeded",
        pages: { done: 60 },
      });
      expect(await pressed(run.id)).toBe(true);
    }
    expect(await untilStatus(api, late.id, ["succeeded", "failed", "paused"])).toMatchObject({
      status: "succeeded",
      records: 7,
    });
  });
});
